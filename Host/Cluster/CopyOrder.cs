namespace ChatRoom.Host;

/// <summary>
/// The writer's half of the rule every host applies (<see cref="ChatRoom.Core.Room.RoomState.Numbers"/>): a host's
/// entry counts only when it is stored after the one numbered before it. Knowing where each copy of a try was
/// stored, the writer finds which drafts count for certain, and publishes the rest again.
/// </summary>
public static class CopyOrder
{
    /// <summary>
    /// Given the stream seq of this host's last draft that counts (<paramref name="last"/>) and where a try stored
    /// each following draft, in order (null: its ack failed, so it may or may not be stored), how many of them count
    /// for certain, and the seq of the last that does. A draft stored before <paramref name="last"/> does not count
    /// (it came ahead of an earlier one), and neither does anything after a draft that does not.
    /// </summary>
    public static (int Count, long Last) InTurn(long last, IReadOnlyList<long?> stored)
    {
        var count = 0;
        foreach (var seq in stored)
        {
            if (seq is not long at || at <= last) break;
            last = at;
            count++;
        }
        return (count, last);
    }
}
