using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace ChatRoom.Host.Tests;

/// <summary>
/// A raw protocol client for tests: it writes lines, and a background reader queues every line received.
/// Every wait has a deadline and fails with what did arrive, so a failing test says why.
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];
    private readonly Task _reader;

    private TestClient(TcpClient tcp, Stream? stream = null)
    {
        _tcp = tcp;
        _stream = stream ?? tcp.GetStream();
        _reader = Task.Run(ReadAll);
    }

    /// <summary>The server's certificate, for a client made by <see cref="ConnectTls"/>.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ServerCertificate { get; private init; }

    /// <summary>Connects with TLS (a real <see cref="SslStream"/>), trusting whatever certificate the server presents.</summary>
    public static async Task<TestClient> ConnectTls(IPEndPoint endpoint, string targetHost = "localhost")
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(endpoint.Address, endpoint.Port).WaitAsync(DefaultWait);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = targetHost }).WaitAsync(DefaultWait);
        return new TestClient(tcp, tls)
        {
            ServerCertificate = new System.Security.Cryptography.X509Certificates.X509Certificate2(tls.RemoteCertificate!),
        };
    }

    public Socket Socket => _tcp.Client;

    /// <summary>Every line received so far, in order (including ones not yet taken by Next/Expect).</summary>
    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_seen) return _seen.ToList();
        }
    }

    public static async Task<TestClient> Connect(IPEndPoint endpoint, int receiveBuffer = 0, bool startReading = true)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork);
        if (receiveBuffer > 0) tcp.ReceiveBufferSize = receiveBuffer;
        await tcp.ConnectAsync(endpoint.Address, endpoint.Port).WaitAsync(DefaultWait);
        return new TestClient(tcp);
    }

    public Task Send(string line) => SendBytes(Encoding.UTF8.GetBytes(line + "\n"));

    public async Task SendBytes(byte[] bytes) => await _stream.WriteAsync(bytes).AsTask().WaitAsync(DefaultWait);

    /// <summary>The next line, or null when the server closed the connection.</summary>
    public async Task<string?> Next(TimeSpan? wait = null)
    {
        using var cts = new CancellationTokenSource(wait ?? DefaultWait);
        try
        {
            return await _lines.Reader.WaitToReadAsync(cts.Token) && _lines.Reader.TryRead(out var line) ? line : null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no line within {(wait ?? DefaultWait).TotalSeconds:0.#} s; seen so far:\n{Tail()}");
        }
    }

    /// <summary>The first and last few lines seen, each cut short, for failure messages.</summary>
    public string Tail()
    {
        var seen = Seen;
        string Cut(string l) => l.Length > 80 ? l[..80] + "..." : l;
        var shown = seen.Count <= 12 ? seen : [.. seen.Take(4), $"... {seen.Count - 10} more ...", .. seen.TakeLast(6)];
        return string.Join("\n", shown.Select(Cut));
    }

    public async Task Expect(string line)
    {
        var next = await Next();
        Assert.True(next == line, $"expected '{line}' but got '{next ?? "<closed>"}'; seen:\n{Tail()}");
    }

    /// <summary>The greeting: this server's product and highest protocol, then its limits (which depend on the test's settings).</summary>
    public Task<string> ExpectHello() => ExpectStartsWith("HELLO chatroom 3 line=");

    public async Task<string> ExpectStartsWith(string prefix)
    {
        var next = await Next();
        Assert.True(next?.StartsWith(prefix) == true, $"expected a line starting '{prefix}' but got '{next ?? "<closed>"}'");
        return next!;
    }

    /// <summary>Skips lines until one matches; fails on close or deadline.</summary>
    public async Task<string> WaitFor(Func<string, bool> match, string what, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? DefaultWait);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no line {what}; seen:\n{Tail()}");
            var line = await Next(left);
            if (line is null) throw new InvalidOperationException($"closed before a line {what}; seen:\n{Tail()}");
            if (match(line)) return line;
        }
    }

    /// <summary>Waits until any line received so far (taken or not) matches.</summary>
    public async Task<string> WaitSeen(Func<string, bool> match, string what, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? DefaultWait);
        while (DateTime.UtcNow < deadline)
        {
            if (Seen.FirstOrDefault(match) is { } found) return found;
            await Task.Delay(20);
        }
        throw new TimeoutException($"no line {what}; seen:\n{Tail()}");
    }

    /// <summary>Waits for the server to close the connection; returns the lines that came before the close.</summary>
    public async Task<List<string>> ExpectClosed(TimeSpan? wait = null)
    {
        var rest = new List<string>();
        var deadline = DateTime.UtcNow + (wait ?? DefaultWait);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"connection still open; seen:\n{Tail()}");
            var line = await Next(left);
            if (line is null) return rest;
            rest.Add(line);
        }
    }

    private async Task ReadAll()
    {
        var reader = new StreamReader(_stream, new UTF8Encoding(false, true));
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (_seen) _seen.Add(line);
                await _lines.Writer.WriteAsync(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        await _reader.WaitAsync(DefaultWait).ConfigureAwait(false);
    }
}
