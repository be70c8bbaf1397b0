using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using Microsoft.Extensions.Logging;

namespace ChatRoom.Host;

/// <summary>
/// The TCP server: accepts connections, reads and frames their bytes, decodes lines, and posts everything to
/// the <see cref="RoomLoop"/>. Accepting and reading are async loops on the thread pool (see
/// docs/ARCHITECTURE.md for why not a thread per connection); the room has its own thread, and password
/// checks have theirs. Every exception from one connection stays at that connection's boundary.
/// </summary>
public sealed class ChatServer : IAsyncDisposable
{
    private const int ReadBufferBytes = 4096;

    private readonly ServerOptions _options;
    private readonly ILogger _log;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<ConnectionId, Connection> _connections = new();
    private readonly Action<Connection> _forget; // one delegate for every connection's Disposed, not one each
    private readonly RoomLoop _room;
    private readonly IAccounts _users;
    private readonly ILogger _accountsLog;
    private readonly CancellationTokenSource _stopping = new();
    private readonly IRoomLog? _roomLog;
    private ITimer? _pruner;
    private readonly ServerCertificate? _certificate;
    private Socket? _listener;
    private Socket? _tlsListener;
    private ITimer? _ticker;
    private Task _acceptLoop = Task.CompletedTask;
    private Task _tlsAcceptLoop = Task.CompletedTask;
    private long _nextId;

    /// <param name="authenticate">The password check (by default <see cref="ChatRoom.Core.Auth.Authenticator.Authenticate"/>).</param>
    /// <param name="certificate">The TLS port's certificate; required when <see cref="ServerOptions.TlsEnabled"/>.</param>
    /// <param name="users">The accounts: the users file (<see cref="UserStore"/>) or the cluster's bucket (<see cref="ClusterAccounts"/>).</param>
    /// <param name="tokens">Makes the token store; by default the token file next to the users file (<see cref="TokenStore"/>).</param>
    public ChatServer(ServerOptions options, IAccounts users, ILoggerFactory logs, TimeProvider? clock = null,
        Func<ChatRoom.Core.Auth.UserDirectory, string, string, ChatRoom.Core.Auth.AuthVerdict>? authenticate = null,
        ServerCertificate? certificate = null, IRoomLog? roomLog = null, TokensFactory? tokens = null)
    {
        tokens ??= (directory, post, tokenClock, log) => new TokenStore(options.TokensFile, directory, post, tokenClock, log);
        _options = options;
        _forget = c => _connections.TryRemove(c.Id, out _);
        _clock = clock ?? TimeProvider.System;
        _log = logs.CreateLogger("ChatRoom.Server");
        if (options.TlsEnabled && certificate is null) throw new ArgumentException("TLS is enabled but no certificate was given", nameof(certificate));
        _certificate = options.TlsEnabled ? certificate : null;
        if (_certificate is not null) _certificate.Log = logs.CreateLogger("ChatRoom.Tls");
        var descriptors = DescriptorLimit.Raise();
        var settings = options.ToRoomSettings(DescriptorLimit.Ceiling(descriptors, options.Limits.DescriptorReserve));
        if (settings.MaxConnections < options.Limits.MaxConnections)
            _log.LogInformation("the descriptor limit is {Limit}: accepting at most {Max} connections (Limits:MaxConnections is {Configured})",
                descriptors, settings.MaxConnections, options.Limits.MaxConnections);
        _users = users;
        _accountsLog = logs.CreateLogger("ChatRoom.Accounts");
        _room = new RoomLoop(settings, options.Limits.InboxLines, _connections,
            room => new PasswordChecker(users, options.EffectiveHashWorkers, settings.MaxChecksInFlight, i => room.Post(i), _clock,
                logs.CreateLogger("ChatRoom.Auth"), authenticate),
            TimeSpan.FromSeconds(options.Limits.CloseGraceSeconds), _clock, logs.CreateLogger("ChatRoom.Room"),
            TimeSpan.FromMilliseconds(options.Limits.PresenceDelayMilliseconds),
            room => tokens(() => users.Snapshot, i => room.Post(i), _clock, logs.CreateLogger("ChatRoom.Tokens")),
            roomLog, options.Log.MaxBatch);
        _roomLog = roomLog;
        if (roomLog is JetStreamRoomLog cluster)
        {
            cluster.Log = logs.CreateLogger("ChatRoom.Cluster");
            cluster.Log.LogInformation("serving room {Room} with the cluster at {Url} as host {Host}", options.Cluster.Room, cluster.Url, cluster.HostId);
        }
        users.Problem += OnUsersProblem;
        users.Removed += OnAccountsRemoved;
    }

    /// <summary>Where the server listens (known once started; with port 0 this holds the port chosen).</summary>
    public IPEndPoint? Endpoint { get; private set; }

    /// <summary>Where the TLS port listens, once started, if TLS is served.</summary>
    public IPEndPoint? TlsEndpoint { get; private set; }

    /// <summary>How many sockets are open right now.</summary>
    public int OpenConnections => _connections.Count;

    /// <summary>Binds, starts the room, the clock and the accept loop. Fails (throws) if the address is taken.</summary>
    public IPEndPoint Start()
    {
        var address = IPAddress.Parse(_options.Bind);
        _listener = Listen(address, _options.Port);
        Endpoint = (IPEndPoint)_listener.LocalEndPoint!;
        if (_certificate is not null)
        {
            try
            {
                _tlsListener = Listen(address, _options.Tls.Port);
            }
            catch
            {
                _listener.Dispose();
                throw;
            }
            TlsEndpoint = (IPEndPoint)_tlsListener.LocalEndPoint!;
        }

        _room.Start();
        var tick = TimeSpan.FromSeconds(_options.Limits.TickSeconds);
        // Each tick also looks at the users file (the cluster's accounts need no look: a watcher keeps them current) (one stat when nothing changed), so that removed accounts are
        // noticed without waiting for the next login; the room decides what a removal means.
        var trim = MemoryTrim.For(_options.Limits.TrimMemoryAfterQuietTicks);
        _ticker = _clock.CreateTimer(_ =>
        {
            _room.Post(new Input.Tick(_clock.GetUtcNow()));
            _users.Refresh();
            if (trim?.Due(GC.GetTotalAllocatedBytes()) == true) Trim();
        }, null, tick, tick);
        if (_roomLog is not null && (_options.Log.KeepEvents > 0 || _options.Log.KeepDays > 0))
        {
            var every = TimeSpan.FromSeconds(_options.Log.PruneSeconds);
            var pruneLog = _log;
            _pruner = _clock.CreateTimer(_ => Prune(_roomLog, pruneLog), null, every, every);
        }
        _acceptLoop = AcceptLoop(_listener, encrypted: false, _stopping.Token);
        if (_options.OnNetwork && !_options.PlaintextRemote)
            _log.LogInformation("listening on {Endpoint} (plaintext, for loopback clients only: set PlaintextRemote to serve others in clear)", Endpoint.ToString());
        else
            _log.LogInformation("listening on {Endpoint}", Endpoint.ToString());
        if (_tlsListener is not null)
        {
            if (_certificate!.Made) _log.LogInformation("made a self-signed TLS certificate: {Path}", _certificate.Source);
            _tlsAcceptLoop = AcceptLoop(_tlsListener, encrypted: true, _stopping.Token);
            _log.LogInformation("listening on {Endpoint} (TLS), certificate {Fingerprint}", TlsEndpoint!.ToString(), _certificate!.Fingerprint);
        }
        return Endpoint;
    }

    private int _pruning;

    /// <summary>Retention, on a timer's thread; a prune still running when the next is due skips that one.</summary>
    private void Prune(IRoomLog log, ILogger logger)
    {
        if (Interlocked.Exchange(ref _pruning, 1) == 1) return;
        try
        {
            var deleted = log.Prune(_options.Log.KeepEvents, TimeSpan.FromDays(_options.Log.KeepDays), _clock.GetUtcNow());
            if (deleted > 0) logger.LogInformation("room log retention: deleted {Count} old events", deleted);
        }
        catch (Exception e)
        {
            logger.LogError(e, "room log retention failed; trying again later");
        }
        finally
        {
            Volatile.Write(ref _pruning, 0);
        }
    }

    private static Socket Listen(IPAddress address, int port)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            ListenerOptions.AllowRestartButNotSharing(listener);
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(1024);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stops accepting, says <c>BYE server shutting down</c> to everyone, and waits (bounded) until their
    /// queued output is flushed and the sockets are closed.
    /// </summary>
    public async Task StopAsync(TimeSpan wait)
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        _listener?.Dispose();
        _tlsListener?.Dispose();
        _ticker?.Dispose();
        _pruner?.Dispose();
        _log.LogInformation("server stopping");
        _room.Shutdown(_clock.GetUtcNow());

        var deadline = _clock.GetUtcNow() + wait;
        while (!_connections.IsEmpty && _clock.GetUtcNow() < deadline)
            await Task.Delay(20).ConfigureAwait(false);
        foreach (var connection in _connections.Values) connection.Abort();

        _room.Stop(TimeSpan.FromSeconds(1));
        try
        {
            await _acceptLoop.ConfigureAwait(false);
            await _tlsAcceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _log.LogInformation("server stopped");
    }

    // A compacting full collection in the aggressive mode, which decommits what the GC kept for its budgets.
    private void Trim()
    {
        var before = Environment.WorkingSet;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = Environment.WorkingSet;
        _log.LogDebug("quiet after a burst: collected in {Ms:0} ms, resident memory {Before:0.0} -> {After:0.0} MiB",
            clock.Elapsed.TotalMilliseconds, before / 1048576.0, after / 1048576.0);
    }

    private void OnUsersProblem(string problem) => _accountsLog.LogError("{Problem}", problem);

    private void OnAccountsRemoved(Seq<string> nicks)
    {
        _accountsLog.LogInformation("accounts removed from {Where}: {Nicks}", _users.Where, string.Join(", ", nicks));
        _room.Post(new Input.AccountsRemoved(nicks, _clock.GetUtcNow()));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        _users.Problem -= OnUsersProblem;
        _users.Removed -= OnAccountsRemoved;
        _room.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoop(Socket listener, bool encrypted, CancellationToken stopping)
    {
        var failures = 0;
        var pause = TimeSpan.FromMilliseconds(10);
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // Out of descriptors (or kernel memory): the waiting connection stays in the backlog. Say so once,
                // then back off, up to 100 ms, instead of spinning on a failure that only a close can end.
                if (failures++ == 0) _log.LogError("accept failed: {Error}; pausing accept until descriptors are free", e.Message);
                await Task.Delay(pause, CancellationToken.None).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond / 10, pause.Ticks * 2));
                continue;
            }
            catch (SocketException e)
            {
                // A connection reset during the handshake and the like: that connection's problem only.
                _log.LogDebug("accept failed: {Error}", e.Message);
                continue;
            }
            if (failures > 0)
            {
                _log.LogWarning("accepting again after {Failures} failed accepts", failures);
                failures = 0;
                pause = TimeSpan.FromMilliseconds(10);
            }
            try
            {
                Admit(socket, encrypted);
            }
            catch (Exception e)
            {
                _log.LogWarning(e, "could not set up a new connection");
                socket.Dispose();
            }
        }
    }

    private void Admit(Socket socket, bool encrypted)
    {
        socket.NoDelay = true;
        // The room thread's sends must never wait (see Connection.Flush). A TLS socket is written only by the
        // async writer, and its NetworkStream refuses a non-blocking socket.
        if (!encrypted) socket.Blocking = false;
        if (_options.Limits.SocketSendBufferBytes > 0) socket.SendBufferSize = _options.Limits.SocketSendBufferBytes;
        var id = new ConnectionId(Interlocked.Increment(ref _nextId));
        var connection = new Connection(id, socket, _options.Limits.SendQueueBytes, _options.Limits.SendQueueLines)
        {
            LineLimit = _options.Limits.MaxLineBytesBeforeLogin,
        };
        if (encrypted)
        {
            // The handshake starts now and runs alongside: the room sees the connection from its first byte, so
            // its limits and login timeout cover the handshake too; nothing is written before it has finished.
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            connection.Secure(tls, tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _certificate!.Current,
                ClientCertificateRequired = false,
            }, _stopping.Token));
        }
        connection.Disposed += _forget;
        _connections[id] = connection;
        // The first read waits until the room has applied the Opened (see ReadLoop): a connection it turns away at
        // the door has its bytes dropped unread into lines.
        var opened = connection.Gate.Arm();
        if (!_room.Post(new Input.Opened(id, connection.Address, connection.Port, _clock.GetUtcNow(), encrypted), connection.Gate))
            connection.Gate.Open();
        _ = ReadLoop(connection, opened);
    }

    /// <summary>
    /// Reads one connection until it ends. It waits for data with a zero-byte read and only then borrows a
    /// buffer, so an idle connection holds no read buffer at all (this is what keeps 10,000 idle users cheap).
    /// After each read it posts that read's lines, and reads no more until the room has applied them, so one
    /// client's lines never pile up in the room's inbox: a sender faster than the room is slowed by TCP, alone.
    /// And while the whole inbox is full, every read loop waits before posting more.
    /// Once the room has closed the connection (<see cref="Connection.ClosedByRoom"/>: it turned it away at the door, cut
    /// it off, or it quit), what it still sends is read and dropped, not framed, decoded and posted: the room has
    /// forgotten the session by then and would ignore every line (every <see cref="Effect.Close"/> goes with the
    /// session's removal). Under a flood of connections refused at once that was most of the server's garbage.
    /// </summary>
    private async Task ReadLoop(Connection connection, ValueTask opened)
    {
        var framer = FramerState.Initial(connection.LineLimit);
        var socket = connection.Socket;
        var tls = connection.Tls;
        var reason = "connection closed";
        var applied = opened;
        try
        {
            if (tls is not null)
            {
                try
                {
                    await connection.Handshake.ConfigureAwait(false);
                }
                catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
                {
                    reason = "TLS handshake failed";
                    _log.LogDebug("TLS handshake with {Connection} failed: {Error}", connection.Id.ToString(), e.Message);
                    throw new IOException(reason, e);
                }
            }
            while (true)
            {
                // Wait for data without taking it, then for the room to have applied the last read's lines; only
                // then read on. At chat rates the room has long finished by the time the next line arrives, so
                // the second wait costs nothing; a client sending faster than the room applies waits here.
                if (tls is null) await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                else await tls.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                await applied.ConfigureAwait(false);
                applied = ValueTask.CompletedTask;
                var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
                Seq<Fin<string>> lines;
                try
                {
                    var read = tls is null
                        ? await socket.ReceiveAsync(buffer.AsMemory(0, ReadBufferBytes), SocketFlags.None).ConfigureAwait(false)
                        : await tls.ReadAsync(buffer.AsMemory(0, ReadBufferBytes)).ConfigureAwait(false);
                    if (read == 0) break;
                    if (connection.ClosedByRoom) continue;
                    if (framer.MaxLineBytes != connection.LineLimit) framer = framer with { MaxLineBytes = connection.LineLimit };
                    var framed = LineFramer.Feed(framer, buffer.AsSpan(0, read));
                    framer = framed.State;
                    lines = framed.Lines;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                if (lines.IsEmpty) continue;
                await _room.WaitForSpace().ConfigureAwait(false);
                applied = connection.Gate.Arm();
                var now = _clock.GetUtcNow();
                var left = lines.Count;
                foreach (var line in lines)
                    if (!_room.Post(new Input.Received(connection.Id, line.Bind(CommandCodec.Decode), now), --left == 0 ? connection.Gate : null))
                        return; // the room has stopped
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            reason = e is SocketException { SocketErrorCode: SocketError.ConnectionReset } ? "connection reset"
                : reason == "TLS handshake failed" ? reason : "connection lost";
        }
        catch (Exception e)
        {
            _log.LogError(e, "unexpected error reading {Connection}", connection.Id.ToString());
            reason = "internal error";
        }
        _room.Post(new Input.Closed(connection.Id, reason, _clock.GetUtcNow()));
    }
}
