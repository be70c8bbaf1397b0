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
    /// <summary>
    /// The rule itself: an entry numbered <paramref name="number"/> is its host's next when it follows the last one
    /// applied of that host (<paramref name="last"/>); of a host not seen yet, when it is the host's first, or any
    /// number when <paramref name="anyFirst"/> (what came before is not known). Unnumbered entries (0) always are.
    /// </summary>
    public static bool Next(Option<long> last, long number, bool anyFirst) =>
        number == 0 || last.Match(before => number == before + 1, () => number == 1 || anyFirst);

    /// <summary><paramref name="entries"/> (oldest first) without those that were not their host's next.</summary>
    public static IEnumerable<LogEntry> Only(IEnumerable<LogEntry> entries)
    {
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Number > 0 && entry.Host.Length > 0)
            {
                if (!Next(last.TryGetValue(entry.Host, out var before) ? Some(before) : None, entry.Number, anyFirst: true)) continue;
                last[entry.Host] = entry.Number;
            }
            yield return entry;
        }
    }
}
