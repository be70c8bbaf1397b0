namespace ChatRoom.Core.Room;

/// <summary>
/// Names one connection for its whole life. The shell hands them out in increasing order; the core never
/// invents one. Ordered by that number, so the room's members are kept in the order they arrived.
/// </summary>
public readonly record struct ConnectionId(long Value) : IComparable<ConnectionId>
{
    /// <inheritdoc />
    public int CompareTo(ConnectionId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => $"#{Value}";
}
