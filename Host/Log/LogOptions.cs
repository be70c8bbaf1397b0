namespace ChatRoom.Host;

/// <summary>The room log's settings (section <c>Log</c>; see appsettings.json for the defaults).</summary>
public sealed record LogOptions
{
    /// <summary>Whether the room's events are kept in <c>room.db</c> in the data folder. Off: kept in memory only, seqs start at 1 on each start.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many of the newest events a protocol 2 client is shown when it joins (0: none).</summary>
    public int HistoryOnJoin { get; set; } = 50;

    /// <summary>The most events one HISTORY command returns.</summary>
    public int MaxHistoryPage { get; set; } = 100;

    /// <summary>Retention by count: the newest this many events are kept (0: no count limit).</summary>
    public long KeepEvents { get; set; } = 1_000_000;

    /// <summary>Retention by age: events older than this many days are deleted (0: no age limit).</summary>
    public double KeepDays { get; set; }

    /// <summary>How often retention runs, in the background.</summary>
    public double PruneSeconds { get; set; } = 60;

    /// <summary>
    /// Whether each commit (one per batch of events, never one per message) waits for the disk (SQLite's
    /// <c>synchronous=FULL</c>), so that what clients received survives a power loss too. Off: a commit survives
    /// the process being killed, not the machine losing power (docs/ARCHITECTURE.md, "What survives what").
    /// </summary>
    public bool FsyncEachBatch { get; set; }

    /// <summary>The most appends waiting for the log; past it SAY is refused with ERROR 503.</summary>
    public int MaxUncommitted { get; set; } = 16_384;

    /// <summary>The most events one transaction commits (a bigger backlog takes several).</summary>
    public int MaxBatch { get; set; } = 1_024;
}
