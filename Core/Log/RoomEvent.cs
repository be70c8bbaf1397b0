using ChatRoom.Core.Room;

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
    public sealed record Left(string Nick, string Reason) : RoomEvent
    {
        /// <summary>
        /// In a cluster, the host whose member leaves: the LEFT ends the membership only if the nickname's JOINED came
        /// from that host, so a late LEFT never ends someone else's later membership. Empty for a host alone.
        /// </summary>
        public string Host { get; init; } = "";

        /// <summary>
        /// In a cluster, the connection (of <see cref="Host"/>) whose JOINED began the membership this LEFT ends:
        /// with the host it names exactly one membership, so a late or doubled LEFT ends no later one.
        /// </summary>
        public ConnectionId Connection { get; init; }
    }

    /// <summary><paramref name="From"/> said <paramref name="Text"/> to the room.</summary>
    public sealed record Message(string From, string Text) : RoomEvent;
}
