namespace ChatRoom.Core.Log;

/// <summary>
/// Something that happened in the room and belongs to its history: the events the room log keeps, without the
/// seq and time the log gives them. A closed hierarchy. (Whispers are private and are not room events.)
/// </summary>
public abstract record RoomEvent
{
    private RoomEvent() { }

    /// <summary>The member <paramref name="Nick"/> entered the room.</summary>
    public sealed record Joined(string Nick) : RoomEvent;

    /// <summary>The member <paramref name="Nick"/> left the room, with why (possibly empty).</summary>
    public sealed record Left(string Nick, string Reason) : RoomEvent;

    /// <summary><paramref name="From"/> said <paramref name="Text"/> to the room.</summary>
    public sealed record Message(string From, string Text) : RoomEvent;
}
