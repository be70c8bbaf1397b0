namespace ChatRoom.Core.Room;

/// <summary>Names one connection for its whole life. The shell hands them out; the core never invents one.</summary>
public readonly record struct ConnectionId(long Value)
{
    /// <inheritdoc />
    public override string ToString() => $"#{Value}";
}
