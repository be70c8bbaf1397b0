using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// A bare connection for attackers, probes and the real user: it connects from a chosen source address within
/// a deadline, sends raw bytes and reads whole lines. Unlike <see cref="LoadClient"/> it keeps no counters and
/// makes no assumption about what the server says, so it can stand for clients that never log in.
/// </summary>
public sealed class RawClient : IDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;

    private RawClient(Socket socket)
    {
        _socket = socket;
        _reader = new StreamReader(new NetworkStream(socket, ownsSocket: false), Encoding.UTF8, false, 4096);
    }

    public Socket Socket => _socket;

    /// <summary>Connects from <paramref name="source"/>; throws on refusal or when <paramref name="within"/> passes.</summary>
    public static async Task<RawClient> Connect(IPEndPoint server, IPAddress source, TimeSpan within, int receiveBuffer = 0)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // A small receive buffer is set before connecting, so the window the server sees is small from the start.
            if (receiveBuffer > 0) socket.ReceiveBufferSize = receiveBuffer;
            socket.Bind(new IPEndPoint(source, 0));
            using var deadline = new CancellationTokenSource(within);
            await socket.ConnectAsync(server, deadline.Token);
            return new RawClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task Send(byte[] bytes, CancellationToken cancel = default) =>
        await _socket.SendAsync(bytes.AsMemory(), SocketFlags.None, cancel);

    public Task Send(string line) => Send(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>The next line, or null when the connection closes, fails or <paramref name="within"/> passes.</summary>
    public async Task<string?> ReadLine(TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        try
        {
            return await _reader.ReadLineAsync(deadline.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>Reads lines until one satisfies <paramref name="wanted"/>; null on close or timeout.</summary>
    public async Task<string?> ReadUntil(Func<string, bool> wanted, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            var line = await ReadLine(within - clock.Elapsed);
            if (line is null) return null;
            if (wanted(line)) return line;
        }
        return null;
    }

    /// <summary>Closes with a FIN after what was sent, as an impatient client does.</summary>
    public void Dispose()
    {
        _reader.Dispose();
        _socket.Dispose();
    }
}
