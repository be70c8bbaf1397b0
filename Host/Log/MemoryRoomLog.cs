using ChatRoom.Core.Log;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Host;

/// <summary>
/// The room log with nothing durable (<c>Log:Enabled false</c>, and the benchmarks' run without the log): seqs
/// start at 1 in every process, and only the newest <c>capacity</c> entries are kept, in memory, for late joiners'
/// history and paging. <see cref="Recover"/> of a fresh one is <see cref="Recovery.Empty"/>. Thread-safe: one lock,
/// held for the few microseconds each call takes. Append never fails.
/// </summary>
public sealed class MemoryRoomLog : IRoomLog
{
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly LinkedList<LogEntry> _entries = new(); // oldest first
    private readonly Dictionary<string, (string Nick, long Seq)> _present = new(StringComparer.Ordinal);
    private long _lastSeq;

    /// <summary>A log that keeps the newest <paramref name="capacity"/> entries (0: none, only the seqs).</summary>
    public MemoryRoomLog(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
    }

    /// <inheritdoc />
    public Recovery Recover(int recent)
    {
        lock (_gate)
            return new Recovery(
                _lastSeq,
                toSeq(_entries.Skip(Math.Max(0, _entries.Count - Math.Max(0, recent))).ToArray()),
                toSeq(_present.Values.OrderBy(p => p.Seq).Select(p => p.Nick).ToArray()));
    }

    /// <inheritdoc />
    public IReadOnlyList<LogEntry> Append(IReadOnlyList<Draft> drafts)
    {
        var committed = new LogEntry[drafts.Count];
        lock (_gate)
        {
            for (var i = 0; i < drafts.Count; i++)
            {
                var draft = drafts[i];
                // To the millisecond in UTC, as the durable log stores it, so that both logs give the same times.
                var entry = new LogEntry(++_lastSeq, DateTimeOffset.FromUnixTimeMilliseconds(draft.At.ToUnixTimeMilliseconds()), draft.Event, draft.Origin);
                committed[i] = entry;
                switch (draft.Event)
                {
                    case RoomEvent.Joined j:
                        _present[Syntax.FoldNick(j.Nick)] = (j.Nick, entry.Seq);
                        break;
                    case RoomEvent.Left l:
                        _present.Remove(Syntax.FoldNick(l.Nick));
                        break;
                }
                if (_capacity == 0) continue;
                _entries.AddLast(entry);
                if (_entries.Count > _capacity) _entries.RemoveFirst();
            }
        }
        return committed;
    }

    /// <inheritdoc />
    public IReadOnlyList<LogEntry> Before(long before, int count)
    {
        if (count <= 0) return [];
        lock (_gate)
        {
            var page = new List<LogEntry>(Math.Min(count, _entries.Count));
            for (var node = _entries.Last; node is not null && page.Count < count; node = node.Previous)
                if (node.Value.Seq < before) page.Add(node.Value);
            page.Reverse();
            return page;
        }
    }

    /// <summary><inheritdoc /> Of the entries it holds, copied when the call is made.</summary>
    public IEnumerable<LogEntry> Export(long after, DateTimeOffset since)
    {
        lock (_gate) return _entries.Where(e => e.Seq > after && e.At >= since).ToArray();
    }

    /// <summary><inheritdoc /> Of the entries it holds (already at most its capacity).</summary>
    public long Prune(long keep, TimeSpan maxAge, DateTimeOffset now)
    {
        long deleted = 0;
        lock (_gate)
        {
            while (_entries.First is { } oldest &&
                   ((keep > 0 && _entries.Count > keep) || (maxAge > TimeSpan.Zero && oldest.Value.At < now - maxAge)))
            {
                _entries.RemoveFirst();
                deleted++;
            }
        }
        return deleted;
    }

    /// <summary>Nothing to release.</summary>
    public void Dispose() { }
}
