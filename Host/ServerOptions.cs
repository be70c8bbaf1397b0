using System.Net;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Room;
using Microsoft.Extensions.Configuration;

namespace ChatRoom.Host;

/// <summary>
/// The server's settings, read from configuration (appsettings.json, then CHATROOM_ environment variables,
/// then command-line options; later sources win). Keys are case-insensitive; Limits:* nest.
/// The properties have plain setters, not <c>init</c>: they are bound by the configuration binder's source
/// generator (so that the NativeAOT build needs no reflection), and it leaves init-only properties unset.
/// Nothing changes them after start-up.
/// </summary>
public sealed record ServerOptions
{
    public string Bind { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 7777;
    public string Data { get; set; } = "./data";
    public bool OpenRegistration { get; set; }

    /// <summary>PBKDF2 iterations for new hashes. Load tests may lower it (see docs/BENCHMARKS.md); never below 1000.</summary>
    public int HashIterations { get; set; } = PasswordHash.DefaultIterations;

    /// <summary>Threads that check passwords; 0 means one fewer than the processors (at least one).</summary>
    public int HashWorkers { get; set; }

    public LimitOptions Limits { get; set; } = new();

    /// <summary>The room log: history, retention (see <see cref="LogOptions"/>).</summary>
    public LogOptions Log { get; set; } = new();

    /// <summary>The TLS port and its certificate (see <see cref="TlsOptions"/>).</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>Serving one room from several hosts on NATS JetStream (see <see cref="ClusterOptions"/>).</summary>
    public ClusterOptions Cluster { get; set; } = new();

    /// <summary>
    /// Whether the plaintext port serves clients from the network when <see cref="Bind"/> is not a loopback
    /// address. Off by default: then it serves loopback clients only, and passwords never cross a network in clear.
    /// </summary>
    public bool PlaintextRemote { get; set; }

    /// <summary>True when the server listens on an address other clients can reach.</summary>
    public bool OnNetwork => IPAddress.TryParse(Bind, out var ip) && !IPAddress.IsLoopback(ip);

    /// <summary>Whether the TLS port is served: as configured, else when the server is on the network.</summary>
    public bool TlsEnabled => Tls.Enabled ?? OnNetwork;

    public string UsersFile => Path.Combine(Data, "users.json");

    /// <summary>The room log's database, in the data folder.</summary>
    public string RoomLogFile => Path.Combine(Data, "room.db");

    /// <summary>The resume tokens' hashes, next to the users file.</summary>
    public string TokensFile => TokenStore.NextTo(UsersFile);

    public int EffectiveHashWorkers => HashWorkers > 0 ? HashWorkers : Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// Reads and checks the options; every problem is listed in the error, unknown keys by name (a typo such as
    /// <c>Limits:RateBrust</c> must not start a server on the defaults). Anything under <c>Logging</c> is the
    /// logging framework's own.
    /// </summary>
    public static Fin<ServerOptions> From(IConfiguration configuration)
    {
        var unknown = UnknownKeys(configuration).ToList();
        if (unknown.Count > 0)
            return LanguageExt.Common.Error.New("unknown setting" + (unknown.Count > 1 ? "s " : " ") + string.Join(", ", unknown.Select(k => $"'{k}'")));
        ServerOptions options;
        try
        {
            options = configuration.Get<ServerOptions>(o => o.ErrorOnUnknownConfiguration = false) ?? new ServerOptions();
        }
        catch (InvalidOperationException e)
        {
            return LanguageExt.Common.Error.New($"invalid configuration: {e.Message}");
        }
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? FinSucc(options) : LanguageExt.Common.Error.New("invalid configuration: " + string.Join("; ", problems));
    }

    /// <summary>The configuration keys (leaves) that name no setting.</summary>
    public static IEnumerable<string> UnknownKeys(IConfiguration configuration) =>
        configuration.AsEnumerable()
            .Where(kv => kv.Value is not null && !IsKnown(kv.Key))
            .Select(kv => kv.Key)
            .Order(StringComparer.OrdinalIgnoreCase);

    public static bool IsKnown(string key)
    {
        var path = key.Split(':');
        if (path[0].Equals("Logging", StringComparison.OrdinalIgnoreCase)) return true;
        return path.Length switch
        {
            1 => Settable(typeof(ServerOptions)).Contains(path[0]),
            2 when path[0].Equals(nameof(Limits), StringComparison.OrdinalIgnoreCase) => Settable(typeof(LimitOptions)).Contains(path[1]),
            2 when path[0].Equals(nameof(Tls), StringComparison.OrdinalIgnoreCase) => Settable(typeof(TlsOptions)).Contains(path[1]),
            2 when path[0].Equals(nameof(Log), StringComparison.OrdinalIgnoreCase) => Settable(typeof(LogOptions)).Contains(path[1]),
            2 when path[0].Equals(nameof(Cluster), StringComparison.OrdinalIgnoreCase) => Settable(typeof(ClusterOptions)).Contains(path[1]),
            _ => false,
        };
    }

    // The annotation keeps the public properties of both option types in a trimmed (NativeAOT) build, which
    // would otherwise remove the metadata this reads and refuse every setting as unknown.
    private static System.Collections.Generic.HashSet<string> Settable(
        [System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicProperties)] Type type) =>
        type.GetProperties().Where(p => p.SetMethod is not null).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private IEnumerable<string> Problems()
    {
        if (!IPAddress.TryParse(Bind, out _)) yield return $"Bind '{Bind}' is not an IP address";
        if (Port is < 0 or > 65535) yield return $"Port {Port} is out of range";
        if (Tls.Port is < 0 or > 65535) yield return $"Tls:Port {Tls.Port} is out of range";
        if (TlsEnabled && Tls.Port != 0 && Tls.Port == Port) yield return $"Tls:Port and Port are both {Port}: TLS needs a port of its own";
        if ((Tls.Certificate.Length == 0) != (Tls.Key.Length == 0)) yield return "Tls:Certificate and Tls:Key go together: give both, or neither for a self-signed certificate";
        if (HashIterations < PasswordHash.MinIterations) yield return $"HashIterations must be at least {PasswordHash.MinIterations}";
        if (Limits.MaxLineBytes < 512) yield return "Limits:MaxLineBytes must be at least 512";
        if (Limits.MaxLineBytesBeforeLogin < 256 || Limits.MaxLineBytesBeforeLogin > Limits.MaxLineBytes)
            yield return "Limits:MaxLineBytesBeforeLogin must be between 256 and Limits:MaxLineBytes";
        if (Limits.MaxConnections < 1 || Limits.MaxConnectionsPerAddress < 1) yield return "connection limits must be at least 1";
        if (Limits.SendQueueBytes < 4096 || Limits.SendQueueLines < 1) yield return "send queue limits are too small";
        if (Limits.RateBurst < 1 || Limits.RatePerSecond <= 0) yield return "rate limit values must be positive";
        if (Limits.FloodAllowance < 0 || Limits.WhoBytesPerToken < 1) yield return "Limits:FloodAllowance must be at least 0 and Limits:WhoBytesPerToken at least 1";
        if (Limits.MaxAnonymous < 1 || Limits.MaxAnonymousPerAddress < 1) yield return "anonymous connection limits must be at least 1";
        if (Limits.MaxChecksInFlight < 0 || Limits.MaxChecksPerAddress < 1) yield return "Limits:MaxChecksInFlight must be 0 (automatic) or more, Limits:MaxChecksPerAddress at least 1";
        if (Limits.InboxLines < 1024) yield return "Limits:InboxLines must be at least 1024";
        if (Limits.LogQueueLines < 16) yield return "Limits:LogQueueLines must be at least 16";
        if (Limits.PresenceDelayMilliseconds is < 0 or > 1000) yield return "Limits:PresenceDelayMilliseconds must be between 0 and 1000";
        if (Limits.PresenceBatchAt < 0) yield return "Limits:PresenceBatchAt must be 0 (never) or more";
        if (Limits.TrimMemoryAfterQuietTicks < 0) yield return "Limits:TrimMemoryAfterQuietTicks must be 0 (never) or more";
        if (Log.HistoryOnJoin is < 0 or > 1000 || Log.MaxHistoryPage is < 1 or > 1000)
            yield return "Log:HistoryOnJoin must be between 0 and 1000, Log:MaxHistoryPage between 1 and 1000";
        if (Log.KeepEvents < 0 || Log.KeepDays is < 0 or > 36_500 || Log.PruneSeconds <= 0)
            yield return "Log:KeepEvents must be 0 (no limit) or more, Log:KeepDays between 0 (no limit) and 36500, Log:PruneSeconds more than 0";
        if (Log.KeepEvents is > 0 and var keep && keep < Log.HistoryOnJoin) yield return "Log:KeepEvents must be at least Log:HistoryOnJoin";
        if (Log.MaxUncommitted < 64 || Log.MaxBatch < 1) yield return "Log:MaxUncommitted must be at least 64, Log:MaxBatch at least 1";
        if (Cluster.Enabled && !(Uri.TryCreate(Cluster.Url, UriKind.Absolute, out var nats) && nats.Scheme is "nats" or "tls"))
            yield return $"Cluster:Url '{Cluster.Url}' is not a NATS address (nats://host:port)";
        if (Cluster.Room.Length is < 1 or > 64 || !Cluster.Room.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            yield return "Cluster:Room must be 1 to 64 ASCII letters, digits, '-' or '_'";
        if (Cluster.HostTimeoutSeconds is < 1 or > 3600) yield return "Cluster:HostTimeoutSeconds must be between 1 and 3600";
        if (Cluster.SnapshotSeconds is < 0.1 or > 3600) yield return "Cluster:SnapshotSeconds must be between 0.1 and 3600";
        if (Limits.TokenLifetimeDays is <= 0 or > 3650 || Limits.MaxTokensPerAccount < 1)
            yield return "Limits:TokenLifetimeDays must be more than 0 and at most 3650, Limits:MaxTokensPerAccount at least 1";
    }

    /// <summary>
    /// The room's share of the settings. <paramref name="connectionCeiling"/> is what the process's descriptor
    /// limit allows (see <see cref="DescriptorLimit"/>); the room never admits more.
    /// </summary>
    public RoomSettings ToRoomSettings(int connectionCeiling = int.MaxValue) => new()
    {
        MaxConnections = Math.Min(Limits.MaxConnections, connectionCeiling),
        MaxConnectionsPerAddress = Limits.MaxConnectionsPerAddress,
        MaxAnonymous = Limits.MaxAnonymous,
        MaxAnonymousPerAddress = Limits.MaxAnonymousPerAddress,
        MaxChecksInFlight = Limits.MaxChecksInFlight > 0 ? Limits.MaxChecksInFlight : 3 * EffectiveHashWorkers,
        MaxChecksPerAddress = Limits.MaxChecksPerAddress,
        BusyRetry = TimeSpan.FromSeconds(Limits.BusyRetrySeconds),
        OpenRegistration = OpenRegistration,
        FloodAllowance = Limits.FloodAllowance,
        FloodCooldown = TimeSpan.FromSeconds(Limits.FloodCooldownSeconds),
        WhoBytesPerToken = Limits.WhoBytesPerToken,
        LoginTimeout = TimeSpan.FromSeconds(Limits.LoginTimeoutSeconds),
        PingAfter = TimeSpan.FromSeconds(Limits.PingAfterSeconds),
        PingTimeout = TimeSpan.FromSeconds(Limits.PingTimeoutSeconds),
        RateLimitEnabled = Limits.RateLimitEnabled,
        RateBurst = Limits.RateBurst,
        RatePerSecond = Limits.RatePerSecond,
        MaxFailedLogins = Limits.MaxFailedLogins,
        FailureWindow = TimeSpan.FromSeconds(Limits.FailureWindowSeconds),
        Cooldown = TimeSpan.FromSeconds(Limits.CooldownSeconds),
        MaxLineBytes = Limits.MaxLineBytes,
        MaxLineBytesBeforeLogin = Limits.MaxLineBytesBeforeLogin,
        PresenceBatchAt = Limits.PresenceBatchAt,
        PlaintextLoopbackOnly = OnNetwork && !PlaintextRemote,
        TlsPort = TlsEnabled ? Tls.Port : 0,
        TokenLifetime = TimeSpan.FromDays(Limits.TokenLifetimeDays),
        MaxTokensPerAccount = Limits.MaxTokensPerAccount,
        HistoryOnJoin = Log.HistoryOnJoin,
        MaxHistoryPage = Log.MaxHistoryPage,
        MaxUncommitted = Log.MaxUncommitted,
        HostTimeout = TimeSpan.FromSeconds(Cluster.HostTimeoutSeconds),
    };
}

/// <summary>The limits section of the configuration (see appsettings.json for the defaults).</summary>
public sealed record LimitOptions
{
    public int MaxLineBytes { get; set; } = 4096;
    public int MaxLineBytesBeforeLogin { get; set; } = 1024;
    public int MaxConnections { get; set; } = 20_000;
    public int MaxConnectionsPerAddress { get; set; } = 64;
    public int MaxAnonymous { get; set; } = 4096;
    public int MaxAnonymousPerAddress { get; set; } = 16;
    /// <summary>Password checks pending at once in all; 0 means 3 for each checking thread (see <see cref="HashWorkers"/>).</summary>
    public int MaxChecksInFlight { get; set; }
    public int MaxChecksPerAddress { get; set; } = 2;
    public double BusyRetrySeconds { get; set; } = 2;
    public double LoginTimeoutSeconds { get; set; } = 30;
    public double PingAfterSeconds { get; set; } = 60;
    public double PingTimeoutSeconds { get; set; } = 60;
    public bool RateLimitEnabled { get; set; } = true;
    public int RateBurst { get; set; } = 20;
    public double RatePerSecond { get; set; } = 10;
    public int FloodAllowance { get; set; } = 60;
    public double FloodCooldownSeconds { get; set; } = 10;
    public int WhoBytesPerToken { get; set; } = 1024;
    public int MaxFailedLogins { get; set; } = 5;
    public double FailureWindowSeconds { get; set; } = 60;
    public double CooldownSeconds { get; set; } = 300;
    public int SendQueueBytes { get; set; } = 1024 * 1024;
    public int SendQueueLines { get; set; } = 10_000;
    public double CloseGraceSeconds { get; set; } = 5;

    /// <summary>
    /// How long a JOINED or LEFT may wait to be sent, so that a storm of joins leaves in a few large writes per
    /// member rather than one per join; a line that cannot wait sends it along at once. 0 sends presence at once.
    /// </summary>
    public int PresenceDelayMilliseconds { get; set; } = 50;

    /// <summary>
    /// From this many members on, members that speak protocol 3 get who enters and leaves gathered in PRESENCE
    /// lines (one per tick, or before the next message) instead of a JOINED or LEFT each; 0 never gathers.
    /// </summary>
    public int PresenceBatchAt { get; set; } = 200;

    /// <summary>
    /// The room's inbox: lines read from clients and not yet applied. Past it the read loops wait (and TCP
    /// slows the senders); each connection also has at most one read's lines waiting.
    /// </summary>
    public int InboxLines { get; set; } = 65_536;

    /// <summary>Log lines waiting to be written; past it lines are dropped and the count dropped is logged later.</summary>
    public int LogQueueLines { get; set; } = 4096;

    /// <summary>Descriptors kept back from connections for the listener, the users file, logging and the runtime.</summary>
    public int DescriptorReserve { get; set; } = 256;

    /// <summary>The kernel send buffer of each accepted socket; 0 keeps the system default (tests shrink it).</summary>
    public int SocketSendBufferBytes { get; set; }

    /// <summary>How long a resume token (TOKEN) is valid.</summary>
    public double TokenLifetimeDays { get; set; } = 30;

    /// <summary>Resume tokens one account may hold; a new one past it revokes the oldest.</summary>
    public int MaxTokensPerAccount { get; set; } = 16;

    /// <summary>How often the room's clock ticks (login timeouts and keepalives are checked on ticks).</summary>
    public double TickSeconds { get; set; } = 1;

    /// <summary>
    /// After this many quiet ticks following a burst, the GC gives its spare memory back to the system
    /// (<see cref="MemoryTrim"/>); 0 never does.
    /// </summary>
    public int TrimMemoryAfterQuietTicks { get; set; } = 2;
}
