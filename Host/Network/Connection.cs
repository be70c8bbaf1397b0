using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using ChatRoom.Core.Room;

namespace ChatRoom.Host;

/// <summary>
/// One client socket, seen from the shell: a bounded queue of outgoing lines, drained by one non-blocking send
/// from the room thread after each batch (<see cref="Flush"/>) and, for whatever the kernel does not take at
/// once, by an async writer. The room never waits on a socket, so a client that stops reading fills its own
/// queue and is cut off, while everyone else goes on at full speed. Reading is done by <see cref="ChatServer"/>.
/// A TLS connection (<see cref="Secure"/>) writes only from the async writer, through its <see cref="SslStream"/>,
/// and not before its handshake has finished.
/// </summary>
public sealed class Connection
{
    private const int BatchBytes = 64 * 1024;

    private readonly Socket _socket;
    // The queue's own monitor guards the connection's state: a Lock of its own would cost 40 bytes more for
    // each idle connection, and the room thread and the writer rarely contend for it.
    private readonly LineQueue _queue = new();
    private readonly int _maxQueueBytes;
    private readonly int _maxQueueLines;
    private long _queuedBytes;
    private byte[]? _remainder;
    private bool _writing;
    private bool _kickPending;
    private bool _kickUrgent;
    private bool _closing;
    private bool _closedByRoom;
    private bool _stalled;
    private int _lineLimit = ChatRoom.Core.Protocol.FramerState.DefaultMaxLineBytes;
    private int _closed;
    private SslStream? _tls;
    private Task _handshake = Task.CompletedTask;

    public Connection(ConnectionId id, Socket socket, int maxQueueBytes, int maxQueueLines)
    {
        Id = id;
        _socket = socket;
        _maxQueueBytes = maxQueueBytes;
        _maxQueueLines = maxQueueLines;
        var remote = socket.RemoteEndPoint as IPEndPoint;
        Address = remote?.Address.IsIPv4MappedToIPv6 == true ? remote.Address.MapToIPv4().ToString() : remote?.Address.ToString() ?? "?";
        Port = remote?.Port ?? 0;
    }

    public ConnectionId Id { get; }
    public string Address { get; }
    public int Port { get; }
    public Socket Socket => _socket;

    /// <summary>The TLS stream of a connection on the TLS port, else null.</summary>
    public SslStream? Tls => _tls;

    /// <summary>The TLS handshake (completed at once for a plaintext connection).</summary>
    public Task Handshake => _handshake;

    /// <summary>
    /// Makes this a TLS connection, before anything is queued: every line goes through <paramref name="tls"/>,
    /// once <paramref name="handshake"/> has finished.
    /// </summary>
    public void Secure(SslStream tls, Task handshake)
    {
        _tls = tls;
        _handshake = handshake;
    }

    /// <summary>
    /// True once the room has asked for this connection to be closed (<see cref="CloseAfterFlush"/>, <see cref="Abandon"/>,
    /// which only the room calls): the room has forgotten its session, so the read loop drops what it still reads.
    /// </summary>
    public bool ClosedByRoom => Volatile.Read(ref _closedByRoom);

    /// <summary>Raised (once) when the socket is finally closed.</summary>
    public event Action<Connection>? Disposed;

    /// <summary>
    /// The longest line the read loop frames for this connection: the limit before login at first, raised by the
    /// room (<see cref="Effect.LineLimit"/>) when it admits the user.
    /// </summary>
    public int LineLimit
    {
        get => Volatile.Read(ref _lineLimit);
        set => Volatile.Write(ref _lineLimit, value);
    }

    /// <summary>
    /// Whether the room has this connection on its list of presence lines that may wait (room thread only), so
    /// that it is listed once however many batches add to it before the list is flushed.
    /// </summary>
    internal bool WaitListed { get; set; }

    /// <summary>The gate that holds this connection's read loop while its lines wait in the room.</summary>
    public ReadGate Gate { get; } = new();

    /// <summary>The protocol its lines are encoded in (<see cref="Effect.UseProtocol"/>); read and written by the room's thread only.</summary>
    public int Version { get; set; } = ChatRoom.Core.Protocol.ProtocolVersion.First;

    /// <summary>
    /// Queues one encoded line without writing it: when <see cref="EnqueueResult.NeedsKick"/> comes back, the
    /// room calls <see cref="Flush"/> once it has finished its current batch of inputs, so the lines of a busy
    /// moment leave in one system call. A line that <paramref name="canWait"/> asks for a kick that the room may
    /// put off (presence, see <see cref="Effect.Broadcast"/>); the first line that cannot wait asks again, for
    /// a kick at the end of this batch, which sends the waiting lines along, in order.
    /// Returns <see cref="EnqueueResult.Overflowed"/> (once) when the queue would pass its limit: what is queued
    /// is dropped, nothing more is queued, and the room is told, which answers with <see cref="Abandon"/>.
    /// </summary>
    public EnqueueResult Enqueue(byte[] line, bool canWait = false)
    {
        lock (_queue)
        {
            if (_closing || _stalled) return EnqueueResult.Ignored;
            if (_queue.Count + 1 > _maxQueueLines || _queuedBytes + line.Length > _maxQueueBytes)
            {
                _queue.Clear();
                _queuedBytes = 0;
                _stalled = true;
                return EnqueueResult.Overflowed;
            }
            _queue.Enqueue(line);
            _queuedBytes += line.Length;
            if (_writing || (_kickPending && (canWait || _kickUrgent))) return EnqueueResult.Queued;
            _kickPending = true;
            _kickUrgent = !canWait;
            return EnqueueResult.NeedsKick;
        }
    }

    /// <summary>
    /// Drops everything queued, sends <paramref name="last"/> alone and closes, within <paramref name="grace"/>
    /// at the latest: the goodbye to a client that stopped reading.
    /// </summary>
    public void Abandon(byte[] last, TimeSpan grace)
    {
        lock (_queue)
        {
            if (_closing) return;
            _queue.Clear();
            _queue.Enqueue(last);
            _queuedBytes = last.Length;
            _stalled = false;
        }
        CloseAfterFlush(grace);
    }

    /// <summary>Closes once everything queued has been written, or after <paramref name="grace"/> at the latest.</summary>
    public void CloseAfterFlush(TimeSpan grace)
    {
        Volatile.Write(ref _closedByRoom, true);
        bool start;
        lock (_queue)
        {
            if (_closing && _writing) return; // the running writer closes when it has drained the queue
            _closing = true;
            _kickPending = false;
            start = !_writing;
            _writing = true;
        }
        // The writer flushes whatever is queued (perhaps nothing) and then closes, because _closing is set.
        if (start) StartWriter();
        ForceCloseAfter(grace);
    }

    /// <summary>Closes at once, dropping anything queued.</summary>
    public void Abort() => Close();

    private void ForceCloseAfter(TimeSpan grace) =>
        _ = Task.Delay(grace).ContinueWith(static (_, state) => ((Connection)state!).Close(), this, TaskScheduler.Default);

    /// <summary>
    /// Writes what is queued straight from the calling (room) thread, without blocking: one non-blocking send of
    /// the whole batch. This skips a thread-pool hop per connection per batch, which is most of the cost of a
    /// delivery when traffic is light. Whatever the kernel does not take at once (a full socket buffer, or
    /// more than one batch queued) is left to the async writer.
    /// </summary>
    public void Flush(byte[] scratch)
    {
        int used;
        lock (_queue)
        {
            _kickPending = false;
            _kickUrgent = false;
            if (_writing || _queue.Count == 0) return;
            if (_closing || _tls is not null)
            {
                // Closing, or TLS (whose stream has no non-blocking write): the async writer does it all.
                _writing = true;
                used = -1;
            }
            else
            {
                _writing = true;
                used = TakeBatch(scratch);
            }
        }
        if (used < 0)
        {
            StartWriter();
            return;
        }

        var sent = 0;
        try
        {
            while (sent < used)
            {
                var n = _socket.Send(scratch.AsSpan(sent, used - sent), SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock || (error == SocketError.Success && n == 0)) break;
                if (error != SocketError.Success)
                {
                    Close();
                    return;
                }
                sent += n;
            }
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (sent < used)
        {
            _remainder = scratch.AsSpan(sent, used - sent).ToArray();
            StartWriter();
            return;
        }
        lock (_queue)
        {
            if (_queue.Count > 0)
            {
                // More than one batch was queued: the async writer sends the rest.
            }
            else
            {
                Idle();
                if (!_closing) return;
            }
        }
        StartWriter();
    }

    private void StartWriter() => ThreadPool.UnsafeQueueUserWorkItem(static c => _ = c.WriteLoop(), this, preferLocal: false);

    /// <summary>Moves as many queued lines as fit into <paramref name="buffer"/>; call with the lock held.</summary>
    private int TakeBatch(byte[] buffer)
    {
        var used = 0;
        while (_queue.Peek() is { } next && used + next.Length <= buffer.Length)
        {
            var line = _queue.Dequeue();
            line.CopyTo(buffer, used);
            used += line.Length;
            _queuedBytes -= line.Length;
        }
        return used;
    }

    /// <summary>The queue is empty and nobody is writing; call with the lock held.</summary>
    private void Idle() => _writing = false;

    private async Task WriteLoop()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BatchBytes);
        try
        {
            if (_tls is not null) await _handshake.ConfigureAwait(false);
            if (_remainder is { } rest)
            {
                _remainder = null;
                var done = 0;
                while (done < rest.Length)
                    done += await _socket.SendAsync(rest.AsMemory(done), SocketFlags.None).ConfigureAwait(false);
            }
            while (true)
            {
                int used;
                lock (_queue)
                {
                    // Batch every queued line that fits: one system call for many lines.
                    used = TakeBatch(buffer);
                    if (used == 0)
                    {
                        Idle();
                        if (!_closing) return;
                    }
                }
                if (used == 0) break;
                if (_tls is { } tls)
                {
                    await tls.WriteAsync(buffer.AsMemory(0, used)).ConfigureAwait(false);
                    continue;
                }
                var sent = 0;
                while (sent < used)
                    sent += await _socket.SendAsync(buffer.AsMemory(sent, used - sent), SocketFlags.None).ConfigureAwait(false);
            }
            // Everything is written and the connection closes: say so in TLS too (close_notify), so that the
            // client reads a clean end rather than a truncated stream.
            if (_tls is { } closing) await closing.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException or AuthenticationException or InvalidOperationException
                                       or OperationCanceledException)
        {
            // The peer is gone; the reader notices too and reports the close to the room.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Close();
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        lock (_queue)
        {
            // Nothing more will be written: give the queued lines' segments back to the pool.
            _closing = true;
            _queue.Clear();
            _queuedBytes = 0;
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        _tls?.Dispose();
        _socket.Dispose();
        Gate.Open(); // a read loop held for the room must not wait on a socket that is gone
        Disposed?.Invoke(this);
    }
}

/// <summary>What <see cref="Connection.Enqueue"/> did with a line.</summary>
public enum EnqueueResult
{
    /// <summary>Queued; the writer is running or already due to be kicked.</summary>
    Queued,
    /// <summary>Queued; the caller must <see cref="Connection.Flush"/> this connection after its batch.</summary>
    NeedsKick,
    /// <summary>The queue was full: it was dropped, nothing more is queued, and the room must be told.</summary>
    Overflowed,
    /// <summary>The connection is closing; the line was dropped.</summary>
    Ignored,
}
