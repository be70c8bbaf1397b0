namespace ChatRoom.Host;

/// <summary>
/// Serving one room from several hosts (section <c>Cluster</c>): the room log, the accounts and the login tokens
/// live on NATS JetStream instead of the data folder (docs/ARCHITECTURE.md, "Several hosts, one room").
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>The NATS server to join (<c>nats://host:4222</c>). Empty: this host runs alone on its embedded log.</summary>
    public string Url { get; set; } = "";

    /// <summary>The room's name: its stream is <c>CHATROOM_&lt;Room&gt;</c> and its buckets are named after it.</summary>
    public string Room { get; set; } = "main";

    /// <summary>How long a host may go unheard before the others write its members' LEFT (seconds).</summary>
    public double HostTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// How often a host writes a snapshot of who is in the room (seconds), when the room has moved on: a host that
    /// starts reads it and replays only the stream after it, and retention may trim what is older.
    /// </summary>
    public double SnapshotSeconds { get; set; } = 10;

    /// <summary>True when a cluster is configured.</summary>
    public bool Enabled => Url.Length > 0;
}
