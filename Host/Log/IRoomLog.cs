using ChatRoom.Core.Log;

namespace ChatRoom.Host;

/// <summary>
/// The room log's port: where the room's events are appended and given their seq, and read back. The room thread
/// never calls it: <c>RoomLogWriter</c> owns the appends (one batch, one transaction), and history reads
/// and pruning run on their own threads. Implementations: <c>SqliteRoomLog</c> (the embedded default) and
/// <c>MemoryRoomLog</c> (no log: nothing is kept, seqs start at 1).
/// </summary>
public interface IRoomLog : IDisposable
{
    /// <summary>
    /// What the log holds at start: its last seq, its <paramref name="recent"/> newest entries (oldest first) and
    /// who it says is still in the room. Bounded work whatever the log's size.
    /// </summary>
    Recovery Recover(int recent);

    /// <summary>
    /// Appends <paramref name="drafts"/> in order, atomically (all or none), giving each the next seq; returns
    /// them committed, in the same order. A failure (disk full, I/O error) throws and commits nothing.
    /// </summary>
    IReadOnlyList<LogEntry> Append(IReadOnlyList<Draft> drafts);

    /// <summary>At most <paramref name="count"/> entries with a seq below <paramref name="before"/>, oldest first.</summary>
    IReadOnlyList<LogEntry> Before(long before, int count);

    /// <summary>Every entry with a seq above <paramref name="after"/> and a time at or after <paramref name="since"/>, oldest first, read lazily.</summary>
    IEnumerable<LogEntry> Export(long after, DateTimeOffset since);

    /// <summary>
    /// Deletes what retention allows: all but the newest <paramref name="keep"/> entries (0: no count limit), and
    /// entries older than <paramref name="maxAge"/> before <paramref name="now"/> (zero: no age limit), in small
    /// transactions so that appends never wait long. Returns how many were deleted.
    /// </summary>
    long Prune(long keep, TimeSpan maxAge, DateTimeOffset now);
}
