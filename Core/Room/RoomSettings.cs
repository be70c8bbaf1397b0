namespace ChatRoom.Core.Room;

/// <summary>
/// The room's limits. Every one is a setting with a sane default; the Host reads them from its configuration.
/// </summary>
public sealed record RoomSettings
{
    /// <summary>The defaults described in docs/PROTOCOL.md.</summary>
    public static readonly RoomSettings Default = new();

    /// <summary>Most connections at once; past it a new connection gets <c>BYE server full</c>.</summary>
    public int MaxConnections { get; init; } = 20_000;

    /// <summary>Most connections at once from one IP address.</summary>
    public int MaxConnectionsPerAddress { get; init; } = 64;

    /// <summary>A connection that has not logged in by then gets <c>BYE login timeout</c>.</summary>
    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection silent this long is sent PING.</summary>
    public TimeSpan PingAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>After a PING, this long with no traffic at all gets <c>BYE ping timeout</c>.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether SAY and WHISPER are rate limited (benchmarks turn it off, and say so).</summary>
    public bool RateLimitEnabled { get; init; } = true;

    /// <summary>How many SAY/WHISPER a member may send in a burst.</summary>
    public int RateBurst { get; init; } = 20;

    /// <summary>How many SAY/WHISPER per second refill the burst.</summary>
    public double RatePerSecond { get; init; } = 10;

    /// <summary>Refused logins from one address within <see cref="FailureWindow"/> that start a cool-down.</summary>
    public int MaxFailedLogins { get; init; } = 5;

    /// <summary>The window over which refused logins are counted.</summary>
    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an address is refused with <c>DENIED too many attempts</c>.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest line the server sends; long USERS lists are split to fit.</summary>
    public int MaxLineBytes { get; init; } = Protocol.FramerState.DefaultMaxLineBytes;
}
