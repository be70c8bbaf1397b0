namespace ChatRoom.Core.Room;

/// <summary>
/// The room's limits. Every one is a setting with a sane default; the Host reads them from its configuration.
/// </summary>
public sealed record RoomSettings
{
    /// <summary>The defaults described in docs/PROTOCOL.md.</summary>
    public static readonly RoomSettings Default = new();

    /// <summary>
    /// Most connections at once. When it is reached, a newcomer takes the place of a connection that has not
    /// logged in (see <see cref="MaxAnonymous"/>), or, when every connection is a member, gets
    /// <c>BYE server full</c>. The server lowers it to fit its file-descriptor limit.
    /// </summary>
    public int MaxConnections { get; init; } = 20_000;

    /// <summary>Most connections at once from one IP address; past it <c>BYE too many connections from your address</c>.</summary>
    public int MaxConnectionsPerAddress { get; init; } = 64;

    /// <summary>
    /// Most connections at once that have not logged in. When it is reached, a newcomer takes the place of the
    /// oldest such connection of the address that holds the most of them, which gets <c>BYE server full</c>.
    /// So idle anonymous connections can slow a new user's turn but never keep it out.
    /// </summary>
    public int MaxAnonymous { get; init; } = 4_096;

    /// <summary>Most connections at once from one IP address that have not logged in.</summary>
    public int MaxAnonymousPerAddress { get; init; } = 16;

    /// <summary>
    /// Password checks (and registrations) queued or running at once, for the whole server. A newcomer waits
    /// behind at most this many hashes, so the server sets it from its checking threads (3 for each, which keeps
    /// the wait under a second at the default hash cost).
    /// </summary>
    public int MaxChecksInFlight { get; init; } = 3;

    /// <summary>Password checks queued or running at once for connections from one IP address.</summary>
    public int MaxChecksPerAddress { get; init; } = 2;

    /// <summary>The wait a LOGIN refused with <c>ERROR 503 busy</c> is told to take before trying again.</summary>
    public TimeSpan BusyRetry { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether a LOGIN with an unknown nickname creates that account with its password.</summary>
    public bool OpenRegistration { get; init; }

    /// <summary>A connection that has not logged in by then gets <c>BYE login timeout</c>.</summary>
    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection silent this long is sent PING.</summary>
    public TimeSpan PingAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>After a PING, this long with no traffic at all gets <c>BYE ping timeout</c>.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether lines are rate limited (benchmarks turn it off, and say so).</summary>
    public bool RateLimitEnabled { get; init; } = true;

    /// <summary>How many lines (of cost 1) a connection may send in a burst.</summary>
    public int RateBurst { get; init; } = 20;

    /// <summary>How many tokens per second refill the burst.</summary>
    public double RatePerSecond { get; init; } = 10;

    /// <summary>
    /// How many tokens' worth of refused lines a connection may pile up (forgiven at a tenth of
    /// <see cref="RatePerSecond"/>) before it gets <c>BYE flooding</c>.
    /// </summary>
    public int FloodAllowance { get; init; } = 60;

    /// <summary>
    /// After a connection is cut off for flooding, how long new connections from its address are refused with
    /// <c>BYE flooding</c>: closing the connection and opening another must not reset the allowance.
    /// </summary>
    public TimeSpan FloodCooldown { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>WHO costs one token, plus one for every this many bytes of its answer (at most the burst).</summary>
    public int WhoBytesPerToken { get; init; } = 1024;

    /// <summary>Refused logins from one address within <see cref="FailureWindow"/> that start a cool-down.</summary>
    public int MaxFailedLogins { get; init; } = 5;

    /// <summary>The window over which refused logins are counted.</summary>
    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an address is refused with <c>DENIED too many attempts</c>.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a resume token issued by TOKEN is valid (it expires at that whole second, UTC).</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Resume tokens one account may hold at once; issuing one more revokes the oldest.</summary>
    public int MaxTokensPerAccount { get; init; } = 16;

    /// <summary>
    /// The longest line, terminator included, that a connection may send before it has logged in: room for a
    /// LOGIN with a password of about 1,000 bytes. An anonymous client cannot make the server hold or decode
    /// more; the room raises the limit to <see cref="MaxLineBytes"/> when it admits the user
    /// (<see cref="Effect.LineLimit"/>).
    /// </summary>
    public int MaxLineBytesBeforeLogin { get; init; } = 1024;

    /// <summary>The largest line the server sends, and a member may send; long USERS lists are split to fit.</summary>
    public int MaxLineBytes { get; init; } = Protocol.FramerState.DefaultMaxLineBytes;

    /// <summary>
    /// When true, a connection that is not encrypted (<see cref="Input.Opened.Encrypted"/>) and does not come from
    /// a loopback address is refused with <c>BYE</c> <see cref="Room.PlaintextRefused"/>: the shell sets it when
    /// the server listens on a network address, so that passwords never cross a network in clear by default.
    /// </summary>
    public bool PlaintextLoopbackOnly { get; init; }

    /// <summary>
    /// From this many members on (0: never), members of protocol 3 are told who enters and leaves in PRESENCE lines,
    /// one every tick or before the next message, instead of one JOINED or LEFT line per event: a storm of N logins
    /// then costs each member a few lines a second rather than N (docs/PROTOCOL.md, "Presence in a large room").
    /// </summary>
    public int PresenceBatchAt { get; init; } = 200;

    /// <summary>How many members' changes one PRESENCE line holds at most (it is sent when full).</summary>
    public int PresenceBatchMax { get; init; } = 256;

    /// <summary>How many of the newest room events a member of protocol 2 is shown when it joins (0: none).</summary>
    public int HistoryOnJoin { get; init; } = 50;

    /// <summary>The most events one HISTORY command returns.</summary>
    public int MaxHistoryPage { get; init; } = 100;

    /// <summary>HISTORY costs one token, plus one for every this many events asked for (at most the burst).</summary>
    public int HistoryEventsPerToken { get; init; } = 10;

    /// <summary>
    /// The most appends waiting for the log at once. Past it SAY is refused with <c>ERROR 503</c>: a log that
    /// falls behind slows the room down rather than filling the server's memory.
    /// </summary>
    public int MaxUncommitted { get; init; } = 16_384;

    /// <summary>The TLS port named in the refusal of a plaintext connection (0: the server serves no TLS).</summary>
    public int TlsPort { get; init; }

    /// <summary>
    /// In a cluster: how long another host may go unheard (no <see cref="Input.HostSeen"/>) while this one's log
    /// works, before this host writes the LEFT of that host's members (<see cref="Room.HostLost"/>).
    /// </summary>
    public TimeSpan HostTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
