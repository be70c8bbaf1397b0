using ChatRoom.Core.Room;

namespace ChatRoom.Core.Log;

/// <summary>
/// The entries of a stretch of a cluster's log that the hosts applied, as far as the stretch shows: every host
/// applies a host's entries in the order of their numbers and each once (<see cref="RoomState.Numbers"/>), so a copy
/// a retry stored again, or an entry stored ahead of an earlier one of its host, is left out of history pages and
/// exports too. What came before the stretch is not in it, so each host's first entry in it is taken as it is.
/// </summary>
public static class InTurn
{
    /// <summary><paramref name="entries"/> (oldest first) without those that were not their host's next.</summary>
    public static IEnumerable<LogEntry> Only(IEnumerable<LogEntry> entries)
    {
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Number > 0 && entry.Host.Length > 0)
            {
                if (last.TryGetValue(entry.Host, out var before) && entry.Number != before + 1) continue;
                last[entry.Host] = entry.Number;
            }
            yield return entry;
        }
    }
}
