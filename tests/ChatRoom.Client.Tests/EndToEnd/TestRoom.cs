using System.Net;
using ChatRoom.Core.Auth;
using ChatRoom.Host;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>
/// A real server, in-process, on 127.0.0.1 and an ephemeral port, with a temporary data folder and known
/// accounts (hashed at the lowest cost so logins are fast).
/// </summary>
public sealed class TestRoom : IAsyncDisposable
{
    public static readonly IReadOnlyDictionary<string, string> Passwords = new Dictionary<string, string>
    {
        ["alice"] = "alice pass",
        ["bob"] = "bob-pass",
        ["carol"] = "carol's pass",
        ["北落"] = "师门 密码",
    };

    private readonly string _data;
    private readonly ServerOptions _options;
    private readonly ServerCertificate? _certificate;
    private readonly bool _durable;
    private SqliteRoomLog? _roomLog;

    public ChatServer Server { get; private set; }
    public IPEndPoint Endpoint { get; private set; }
    public int Port => Endpoint.Port;

    /// <summary>The TLS port, for a room started with <c>tls: true</c>.</summary>
    public int TlsPort => Server.TlsEndpoint?.Port ?? throw new InvalidOperationException("started without TLS");

    /// <summary>The TLS certificate's fingerprint, for a room started with <c>tls: true</c>.</summary>
    public string Fingerprint { get; } = "";

    private TestRoom(string data, bool tls, bool durable)
    {
        _data = data;
        _durable = durable;
        var options = new ServerOptions
        {
            Port = 0, Data = data, HashIterations = PasswordHash.MinIterations, HashWorkers = 1,
            Tls = new TlsOptions { Enabled = tls, Port = 0 },
        };
        var certificate = tls
            ? ServerCertificate.Open(options.Tls, data, TimeProvider.System).IfFail(e => throw new InvalidOperationException(e.Message))
            : null;
        Fingerprint = certificate?.Fingerprint ?? "";
        var store = UserStore.Open(options.UsersFile, options.HashIterations).IfFail(e => throw new InvalidOperationException(e.Message));
        foreach (var (nick, password) in Passwords)
            store.Update(d => d.Add(new UserAccount(nick, store.Hash(password)))).IfFail(e => throw new InvalidOperationException(e.Message));
        _options = options;
        _certificate = certificate;
        _roomLog = OpenLog();
        Server = new ChatServer(options, store, NullLoggerFactory.Instance, certificate: certificate, roomLog: _roomLog);
        Endpoint = Server.Start();
    }

    /// <summary>
    /// Stops the server (its members get <c>BYE server shutting down</c>), runs <paramref name="meanwhile"/> against
    /// another server on the same data folder on another port (so what happens there is in the room log but no
    /// client waiting for this port can see it live), then starts the server again on the same port. The room log
    /// keeps the seqs going across all of it.
    /// </summary>
    public async Task Restart(Func<int, Task>? meanwhile = null)
    {
        await Stop();
        if (meanwhile is not null)
        {
            Server = Open(0);
            await meanwhile(Server.Start().Port);
            await Stop();
        }
        Server = Open(Port);
        Endpoint = Server.Start();
    }

    private async Task Stop()
    {
        await Server.DisposeAsync();
        _roomLog?.Dispose();
        _roomLog = null;
    }

    /// <summary>A durable room keeps its log in room.db in the data folder (SQLite), as the real server does; else in memory.</summary>
    private SqliteRoomLog? OpenLog()
    {
        if (!_durable) return null;
        Directory.CreateDirectory(_data);
        return SqliteRoomLog.Open(SqliteRoomLog.In(_data)).IfFail(e => throw new InvalidOperationException(e.Message));
    }

    private ChatServer Open(int port)
    {
        var options = _options with { Port = port };
        var store = UserStore.Open(options.UsersFile, options.HashIterations).IfFail(e => throw new InvalidOperationException(e.Message));
        _roomLog = OpenLog();
        return new ChatServer(options, store, NullLoggerFactory.Instance, certificate: _certificate, roomLog: _roomLog);
    }

    /// <summary>
    /// Says <paramref name="text"/> as <paramref name="nick"/> over a raw connection to <paramref name="port"/> (a
    /// protocol 1 conversation: LOGIN, WELCOME, SAY, its MESSAGE, QUIT, BYE), each step within the tests' deadline.
    /// </summary>
    public static async Task SayRaw(int port, string nick, string text)
    {
        using var deadline = new CancellationTokenSource(ChatProcess.Deadline);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
        var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, new System.Text.UTF8Encoding(false));
        var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
        async Task Until(string prefix)
        {
            while (await reader.ReadLineAsync(deadline.Token) is { } line)
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return;
            throw new IOException($"the server closed the connection before {prefix}");
        }
        await Until("HELLO");
        await writer.WriteLineAsync($"LOGIN {nick} {Passwords[nick]}");
        await Until("WELCOME");
        await writer.WriteLineAsync($"SAY {text}");
        await Until("MESSAGE");
        await writer.WriteLineAsync("QUIT");
        await Until("BYE");
    }

    /// <param name="durable">Keep the room log in SQLite in the data folder, so that <see cref="Restart"/> keeps the seqs and the history.</param>
    public static TestRoom Start(bool tls = false, bool durable = false) =>
        new(Path.Combine(Path.GetTempPath(), "chatroom-client-tests-" + Guid.NewGuid().ToString("N")), tls, durable);

    /// <summary>Starts the real <c>chatroom</c> as <paramref name="nick"/> with its password in the environment.</summary>
    public ChatProcess Client(string nick, string? script, params string[] options) =>
        ChatProcess.Start(["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", nick, .. options],
            script, Passwords.TryGetValue(nick, out var password) ? password : "");

    public async ValueTask DisposeAsync()
    {
        await Stop();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
