using System.Collections.Concurrent;
using System.Net;
using ChatRoom.Core.Auth;
using Microsoft.Extensions.Logging;

namespace ChatRoom.Host.Tests;

/// <summary>
/// A real server in-process on 127.0.0.1 and an ephemeral port, with a temporary data folder and known accounts
/// (hashed at the lowest cost so tests stay fast). Every log line is captured for assertions.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    public static readonly IReadOnlyDictionary<string, string> Accounts = new Dictionary<string, string>
    {
        ["alice"] = "alice pass",
        ["bob"] = "bob-pass",
        ["carol"] = "carol's pass",
        ["北落"] = "师门 密码",
        ["dave"] = "dave pass",
    };

    private readonly string _data;
    public ChatServer Server { get; }
    /// <summary>The server's data folder (its users file is users.json there).</summary>
    public string Data => _data;
    /// <summary>The server's users file, as the server holds it.</summary>
    public UserStore Users { get; }
    public IPEndPoint Endpoint { get; }
    public CapturingLogs Logs { get; } = new();

    private TestServer(ServerOptions options, int accountIterations, TimeProvider? clock,
        Func<UserDirectory, string, string, AuthVerdict>? authenticate, IRoomLog? roomLog)
    {
        _data = options.Data;
        var store = UserStore.Open(options.UsersFile, accountIterations).IfFail(e => throw new InvalidOperationException(e.Message));
        foreach (var (nick, password) in Accounts.Where(a => store.Current.Find(a.Key).IsNone))
            store.Update(d => d.Add(new UserAccount(nick, store.Hash(password)))).IfFail(e => throw new InvalidOperationException(e.Message));
        Users = store;
        Certificate = options.TlsEnabled
            ? ServerCertificate.Open(options.Tls, options.Data, clock ?? TimeProvider.System).IfFail(e => throw new InvalidOperationException(e.Message))
            : null;
        Server = new ChatServer(options, store, Logs.Factory, clock, authenticate, Certificate, roomLog);
        Endpoint = Server.Start();
    }

    /// <summary>The TLS port's certificate, when started with <c>tls: true</c>.</summary>
    public ServerCertificate? Certificate { get; }

    /// <summary>Where the TLS port listens, when started with <c>tls: true</c>.</summary>
    public IPEndPoint TlsEndpoint => Server.TlsEndpoint ?? throw new InvalidOperationException("started without TLS");

    /// <param name="accountIterations">The hash cost of the test accounts (the lowest by default, for speed).</param>
    /// <param name="clock">The server's clock; a FakeTimeProvider lets a test move time instead of waiting for it.</param>
    /// <param name="authenticate">Replaces the password check, for tests that must hold checks back.</param>
    /// <param name="tls">Serve the TLS port too (on a free port, with a self-signed certificate in the data folder).</param>
    /// <param name="data">The data folder (a fresh temporary one by default); it is deleted at the end either way.</param>
    /// <param name="roomLog">The room log (by default the memory log, as with <c>Log:Enabled false</c>).</param>
    /// <param name="logOptions">The Log settings (history, retention), the defaults by default.</param>
    /// <param name="cluster">Join a cluster: the room log is then the cluster's JetStream stream (opened here, closed on dispose).</param>
    public static TestServer Start(Func<LimitOptions, LimitOptions>? limits = null, bool openRegistration = false,
        int accountIterations = PasswordHash.MinIterations, TimeProvider? clock = null,
        Func<UserDirectory, string, string, AuthVerdict>? authenticate = null, bool tls = false, string? data = null,
        IRoomLog? roomLog = null, LogOptions? logOptions = null, ClusterOptions? cluster = null)
    {
        var owned = cluster is not null && roomLog is null
            ? JetStreamRoomLog.Open(cluster, clock ?? TimeProvider.System, TimeSpan.FromSeconds(10)).IfFail(e => throw new InvalidOperationException(e.Message))
            : null;
        roomLog ??= owned;
        data ??= Path.Combine(Path.GetTempPath(), "chatroom-tests-" + Guid.NewGuid().ToString("N"));
        var baseLimits = new LimitOptions { TickSeconds = 0.1 };
        return new TestServer(new ServerOptions
        {
            Port = 0,
            Data = data,
            HashIterations = PasswordHash.MinIterations,
            HashWorkers = 1,
            OpenRegistration = openRegistration,
            Limits = limits?.Invoke(baseLimits) ?? baseLimits,
            Tls = new TlsOptions { Enabled = tls, Port = 0 },
            Log = logOptions ?? new LogOptions(),
            Cluster = cluster ?? new ClusterOptions(),
        }, accountIterations, clock, authenticate, roomLog) { _owned = owned };
    }

    private IRoomLog? _owned;

    /// <summary>This host's name in the cluster (empty when it runs alone).</summary>
    public string HostId => (_owned as ISharedRoomLog)?.HostId ?? "";

    public Task<TestClient> Connect() => TestClient.Connect(Endpoint);

    /// <summary>Connects and logs in; returns once WELCOME and the first USERS line have arrived.</summary>
    public async Task<TestClient> Login(string nick, TestClient? from = null)
    {
        var client = from ?? await Connect();
        if (from is null) await client.ExpectHello();
        await client.Send($"LOGIN {nick} {Accounts[nick]}");
        await client.Expect($"WELCOME {nick}");
        await client.ExpectStartsWith("USERS");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _owned?.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Collects every log line the server writes.</summary>
public sealed class CapturingLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public CapturingLogs() => Factory = LoggerFactory.Create(b => b.AddProvider(this).SetMinimumLevel(LogLevel.Debug));

    public ILoggerFactory Factory { get; }
    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public async Task<string> WaitFor(Func<string, bool> match, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.FirstOrDefault(match) is { } found) return found;
            await Task.Delay(20);
        }
        throw new TimeoutException($"no log line {what} within {seconds} s; got:\n{string.Join("\n", _lines)}");
    }

    public void Dispose() { }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
