using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace ChatRoom.LoadTest;

/// <summary>
/// One simulated user: a socket, a read loop that classifies lines from bytes, and the counters the scenarios
/// read. Chat lines carry the sender's index and a Stopwatch timestamp, so latency is measured end to end in
/// this one process; a client's own echoed messages are not counted as deliveries.
/// </summary>
public sealed class LoadClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SslStream? _tls;
    private readonly Wire _wire;
    private readonly byte[] _buffer;
    private readonly TaskCompletionSource _loggedIn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _deliveries;
    private long _tooFast;
    private long _rosterBytes;
    private volatile bool _quitting;
    private byte[]? _login;
    private int _busyAnswers;

    /// <summary>How many times a LOGIN may be answered ERROR 503 busy before the client gives up.</summary>
    private const int MaxBusyAnswers = 30;

    private LoadClient(Socket socket, SslStream? tls, Wire wire, int index, string nick, int bufferBytes)
    {
        _socket = socket;
        _tls = tls;
        _wire = wire;
        Index = index;
        Nick = nick;
        _buffer = new byte[bufferBytes];
    }

    public int Index { get; }
    public string Nick { get; }
    /// <summary>Where this client's delivery latencies go (shared by the clients of a run).</summary>
    public Histogram Latency { get; set; } = new();
    /// <summary>When set, picks the histogram by the line's send timestamp instead (so a phase owns what it sent).</summary>
    public Func<long, Histogram>? LatencyBySend { get; set; }
    /// <summary>ERROR 429 lines received: the attacks count how many refusals one flooder can cause.</summary>
    public long TooFast => Interlocked.Read(ref _tooFast);
    /// <summary>Bytes of USERS lines received (without their line ends): the size of WHO answers.</summary>
    public long RosterBytes => Interlocked.Read(ref _rosterBytes);
    /// <summary>Stopwatch timestamp at which the server closed the connection (0 while open).</summary>
    public long ClosedTimestamp { get; private set; }
    public long Deliveries => Interlocked.Read(ref _deliveries);
    public bool Closed { get; private set; }
    public bool Dropped { get; private set; }
    public string? CloseLine { get; private set; }
    public long LastDeliveryTimestamp { get; private set; }
    public long BytesReceived { get; private set; }
    public Task LoggedIn => _loggedIn.Task;

    /// <summary>
    /// Connects, from <paramref name="source"/> when given (a loopback address of 127.0.0.0/8); with
    /// <paramref name="tls"/>, does a TLS handshake first (trusting any certificate: this measures cost, not trust).
    /// </summary>
    public static async Task<LoadClient> Connect(IPEndPoint endpoint, Wire wire, int index, string nick, int bufferBytes, CancellationToken cancel,
        IPAddress? source = null, bool tls = false)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? stream = null;
        try
        {
            if (source is not null) socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(endpoint, cancel);
            if (tls)
            {
                stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false, (_, _, _, _) => true);
                await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, cancel);
            }
        }
        catch
        {
            stream?.Dispose();
            socket.Dispose();
            throw;
        }
        var client = new LoadClient(socket, stream, wire, index, nick, bufferBytes);
        _ = client.ReadLoop();
        return client;
    }

    public ValueTask<int> Send(byte[] bytes) => _tls is null ? _socket.SendAsync(bytes.AsMemory(), SocketFlags.None) : SendTls(bytes);

    private async ValueTask<int> SendTls(byte[] bytes)
    {
        await _tls!.WriteAsync(bytes);
        return bytes.Length;
    }

    /// <summary>Sends the login lines, and sends them again after a busy answer (as the chatroom client does).</summary>
    public ValueTask<int> Login(byte[] login)
    {
        _login = login;
        return Send(login);
    }

    /// <summary>How many times the server answered this client's LOGIN with ERROR 503 busy.</summary>
    public int BusyAnswers => Volatile.Read(ref _busyAnswers);

    public async Task Quit()
    {
        _quitting = true;
        try
        {
            await Send(_wire.Quit());
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException or NotSupportedException)
        {
        }
    }

    private async Task ReadLoop()
    {
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == _buffer.Length) filled = 0; // a line longer than the buffer: drop it, it is not ours
                var read = _tls is null
                    ? await _socket.ReceiveAsync(_buffer.AsMemory(filled), SocketFlags.None)
                    : await _tls.ReadAsync(_buffer.AsMemory(filled));
                if (read == 0) break;
                BytesReceived += read;
                var now = Stopwatch.GetTimestamp();
                filled += read;
                var start = 0;
                while (true)
                {
                    var lf = _buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
                    if (lf < 0) break;
                    var line = _buffer.AsSpan(start, lf);
                    if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
                    Handle(line, now);
                    start += lf + 1;
                }
                if (start > 0)
                {
                    _buffer.AsSpan(start, filled - start).CopyTo(_buffer);
                    filled -= start;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException or AuthenticationException)
        {
        }
        ClosedTimestamp = Stopwatch.GetTimestamp();
        Closed = true;
        if (!_quitting) Dropped = true;
        _loggedIn.TrySetException(new IOException($"{Nick}: connection closed before login ({CloseLine ?? "no reason"})"));
    }

    private void Handle(ReadOnlySpan<byte> line, long now)
    {
        switch (_wire.Classify(line))
        {
            case LineKind.Delivery:
                if (Wire.TryReadStamp(line, out var sender, out var sent) && sender != Index)
                {
                    Interlocked.Increment(ref _deliveries);
                    (LatencyBySend?.Invoke(sent) ?? Latency).Add((now - sent) * 1_000_000 / Stopwatch.Frequency);
                    LastDeliveryTimestamp = now;
                }
                break;
            case LineKind.LoggedIn:
                _loggedIn.TrySetResult();
                break;
            case LineKind.Registered:
                if (_wire.AfterRegistration is { } next)
                    _ = Send(next).AsTask().ContinueWith(static _ => { }, TaskContinuationOptions.OnlyOnFaulted);
                break;
            case LineKind.Refused:
                CloseLine = System.Text.Encoding.UTF8.GetString(line);
                _loggedIn.TrySetException(new IOException($"{Nick}: login refused: {CloseLine}"));
                break;
            case LineKind.Ping:
                _ = Send(_wire.Pong(line)).AsTask().ContinueWith(static _ => { }, TaskContinuationOptions.OnlyOnFaulted);
                break;
            case LineKind.Roster:
                Interlocked.Add(ref _rosterBytes, line.Length);
                View?.Apply(line);
                break;
            case LineKind.Presence:
                Interlocked.Add(ref _presenceBytes, line.Length);
                View?.Apply(line);
                break;
            case LineKind.TooFast:
                Interlocked.Increment(ref _tooFast);
                break;
            case LineKind.Busy:
                if (Interlocked.Increment(ref _busyAnswers) > MaxBusyAnswers || _login is not { } again)
                {
                    _loggedIn.TrySetException(new IOException($"{Nick}: login answered busy {MaxBusyAnswers} times"));
                    break;
                }
                // The server names its wait ("busy, retry in 2 s"); a crowd retries sooner, spread over a second.
                _ = Task.Delay(TimeSpan.FromMilliseconds(200 + Random.Shared.Next(800)))
                    .ContinueWith(_ => Send(again).AsTask(), TaskScheduler.Default).Unwrap()
                    .ContinueWith(static _ => { }, TaskContinuationOptions.OnlyOnFaulted);
                break;
            case LineKind.Closing:
                CloseLine = System.Text.Encoding.UTF8.GetString(line);
                break;
        }
    }

    private long _presenceBytes;

    /// <summary>Bytes of JOINED, LEFT and PRESENCE lines received.</summary>
    public long PresenceBytes => Interlocked.Read(ref _presenceBytes);

    /// <summary>When set (before logging in), who this client was told is in the room, kept as a client keeps it.</summary>
    public RoomView? View { get; set; }

    /// <summary>True once the server's first line (HELLO, or an IRC notice) has arrived.</summary>
    public bool Greeted => BytesReceived > 0;

    public ValueTask DisposeAsync()
    {
        _quitting = true;
        _tls?.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
