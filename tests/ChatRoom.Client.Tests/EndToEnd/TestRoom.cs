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

    public ChatServer Server { get; }
    public IPEndPoint Endpoint { get; }
    public int Port => Endpoint.Port;

    /// <summary>The TLS port, for a room started with <c>tls: true</c>.</summary>
    public int TlsPort => Server.TlsEndpoint?.Port ?? throw new InvalidOperationException("started without TLS");

    /// <summary>The TLS certificate's fingerprint, for a room started with <c>tls: true</c>.</summary>
    public string Fingerprint { get; } = "";

    private TestRoom(string data, bool tls)
    {
        _data = data;
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
        Server = new ChatServer(options, store, NullLoggerFactory.Instance, certificate: certificate);
        Endpoint = Server.Start();
    }

    public static TestRoom Start(bool tls = false) =>
        new(Path.Combine(Path.GetTempPath(), "chatroom-client-tests-" + Guid.NewGuid().ToString("N")), tls);

    /// <summary>Starts the real <c>chatroom</c> as <paramref name="nick"/> with its password in the environment.</summary>
    public ChatProcess Client(string nick, string? script, params string[] options) =>
        ChatProcess.Start(["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", nick, .. options],
            script, Passwords.TryGetValue(nick, out var password) ? password : "");

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
