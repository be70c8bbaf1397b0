using ChatRoom.Core.Log;

namespace ChatRoom.Host;

/// <summary>
/// The room log kept in memory (<c>Log:Enabled false</c>): seqs from 1 on every start, the newest entries kept for
/// history, nothing durable. Safe from any thread.
/// </summary>
public sealed class MemoryRoomLog(int keep) : IRoomLog
{
    private readonly Lock _gate = new();
    private readonly LinkedList<LogEntry> _entries = new();
    private long _seq;

    public Recovery Recover(int recent)
    {
        lock (_gate) return new Recovery(_seq, _entries.Skip(Math.Max(0, _entries.Count - recent)).ToSeq().Strict(), LanguageExt.Seq<string>.Empty);
    }

    public IReadOnlyList<LogEntry> Append(IReadOnlyList<Draft> drafts)
    {
        var committed = new LogEntry[drafts.Count];
        lock (_gate)
        {
            for (var i = 0; i < drafts.Count; i++)
            {
                var d = drafts[i];
                committed[i] = new LogEntry(++_seq, d.At, d.Event, d.Origin);
                if (keep <= 0) continue;
                _entries.AddLast(committed[i]);
                if (_entries.Count > keep) _entries.RemoveFirst();
            }
        }
        return committed;
    }

    public IReadOnlyList<LogEntry> Before(long before, int count)
    {
        lock (_gate) return _entries.Where(e => e.Seq < before).TakeLast(count).ToList();
    }

    public IEnumerable<LogEntry> Export(long after, DateTimeOffset since)
    {
        lock (_gate) return _entries.Where(e => e.Seq > after && e.At >= since).ToList();
    }

    public long Prune(long keepCount, TimeSpan maxAge, DateTimeOffset now) => 0;

    public void Dispose()
    {
    }
}
