using LanguageExt.ClassInstances;
using ChatRoom.Core.Room;

namespace ChatRoom.Core.Log;

/// <summary>
/// An event the room asks the log to append (the room's append effect): what happened, when (the time of the
/// input that caused it, the server's clock), and which local connection caused it, so that the room can match
/// the committed entry to the session waiting for it. The origin is not part of the history.
/// </summary>
public sealed record Draft(RoomEvent Event, DateTimeOffset At, ConnectionId Origin)
{
    /// <summary>The host that asks for the append, in a cluster (<see cref="RoomState.Host"/>); empty for a host alone.</summary>
    public string Host { get; init; } = "";

    /// <summary>
    /// In a cluster, this host's count of its appends (1, 2, 3, …; <see cref="RoomState.Appended"/>): every host
    /// applies a host's entries in this order and each once, whatever copies a retry left in the log. 0 for a host alone.
    /// </summary>
    public long Number { get; init; }
}

/// <summary>
/// An event the log has committed: it holds <paramref name="Seq"/>, the room's order, given once and never
/// again, and the server time <paramref name="At"/> (UTC, to the millisecond). <paramref name="Origin"/> is the
/// draft's (<c>#0</c> for entries read back from storage).
/// </summary>
public sealed record LogEntry(long Seq, DateTimeOffset At, RoomEvent Event, ConnectionId Origin)
{
    /// <summary>
    /// The host that appended it, in a cluster; empty for a host alone. <see cref="Origin"/> is a connection of that
    /// host: a host matches an entry to its own sessions only when the entry is its own.
    /// </summary>
    public string Host { get; init; } = "";

    /// <summary>The draft's <see cref="Draft.Number"/>: its place among its host's appends (0 when not counted).</summary>
    public long Number { get; init; }
}

/// <summary>
/// What the log holds when the server starts (the room's recovered input): the last seq it gave, the most
/// recent entries (at most what late joiners are shown), and who was in the room when it last stopped, that is,
/// every nickname whose last event is a JOINED. A server that was killed never wrote their LEFT.
/// </summary>
public sealed record Recovery(long LastSeq, Seq<LogEntry> Recent, Seq<string> Present)
{
    /// <summary>
    /// In a cluster, who is in the room at <see cref="LastSeq"/> according to a snapshot of the shared log: the
    /// JOINED entry of each membership (its seq, nickname and host). They stay in the room (unlike
    /// <see cref="Present"/>, who left with their server); the log goes on after <see cref="LastSeq"/>.
    /// </summary>
    public Seq<LogEntry> Members { get; init; }

    /// <summary>
    /// In a cluster, the shared log's last seq when this host started: until the room has applied it, it is still
    /// catching up, and judges no other host (its roster is not yet the room's).
    /// </summary>
    public long CatchUpTo { get; init; }

    /// <summary>
    /// In a cluster, the number of each host's last entry applied at <see cref="LastSeq"/>, from the snapshot
    /// (<see cref="RoomState.Numbers"/>), so that a host starting there skips the same copies as the others.
    /// </summary>
    public HashMap<EqStringOrdinal, string, long> Numbers { get; init; }

    /// <summary>
    /// In a cluster, true when the log was trimmed and no snapshot covers what went before: the hosts that wrote
    /// before the trim are not in <see cref="Numbers"/>, and each other host's first entry is taken at its number.
    /// </summary>
    public bool Partial { get; init; }

    /// <summary>An empty log.</summary>
    public static readonly Recovery Empty = new(0, LanguageExt.Seq<LogEntry>.Empty, LanguageExt.Seq<string>.Empty);
}
