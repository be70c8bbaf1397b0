using System.Collections.Concurrent;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using Microsoft.Extensions.Logging;

namespace ChatRoom.Host;

/// <summary>
/// The one place that owns the room: a dedicated thread drains a queue of inputs, applies the reducer, and
/// carries out the effects. Because a single thread applies every input in order, every member sees the
/// room's events in the same order (the seq numbers). Carrying out an effect never waits on a socket: sending
/// only appends to a connection's bounded queue, and a broadcast is encoded once for all its recipients.
/// </summary>
public sealed class RoomLoop : IDisposable
{
    private readonly InputQueue _inputs;
    private readonly ConcurrentDictionary<ConnectionId, Connection> _connections;
    private readonly PasswordChecker _checker;
    private readonly ITokens? _tokens;
    private readonly IRoomLog _roomLog;
    private readonly RoomLogWriter? _writer;
    private readonly HistoryReader _history;
    private readonly ISharedRoomLog? _shared;
    private long _applied; // the room's last applied seq, for the shared log's feed
    private readonly int _historyOnJoin;
    private readonly List<ChatRoom.Core.Log.Draft> _drafts = [];
    private readonly List<ReadGate> _held = [];

    /// <summary>
    /// Events waiting for the log's writer past which the room stops letting read loops read (their gates stay
    /// shut), and below which it lets them go on: a client that sends faster than the disk commits is slowed by
    /// TCP, like one that sends faster than the room applies, instead of filling memory or being refused. The
    /// room's own bound (<see cref="RoomSettings.MaxUncommitted"/>, ERROR 503) is the last resort behind it.
    /// </summary>
    private const int LogHighWater = 4096, LogLowWater = 1024;
    private readonly Queue<Input> _answers = new();
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly TimeSpan _grace;
    private readonly Thread _thread;
    private readonly List<Connection> _dirty = [];
    private readonly List<Connection> _waiting = [];
    private readonly int _presenceDelayMs;
    private long _waitingDue;
    private readonly byte[] _scratch = new byte[64 * 1024];
    private RoomState _state;
    private volatile Input.Shutdown? _shutdown;
    private bool _shutDown;

    /// <summary>The most inputs applied before queued lines are handed to the writers.</summary>
    private const int MaxBatch = 256;

    /// <param name="roomLog">
    /// Where the room's events are appended: a <see cref="MemoryRoomLog"/> is committed right here at the end of each
    /// batch; any other log by a <see cref="RoomLogWriter"/> on its own thread. None: a memory log of the history's size.
    /// </param>
    public RoomLoop(RoomSettings settings, int inboxLines, ConcurrentDictionary<ConnectionId, Connection> connections,
        Func<RoomLoop, PasswordChecker> checker, TimeSpan closeGrace, TimeProvider clock, ILogger log, TimeSpan presenceDelay = default,
        Func<RoomLoop, ITokens>? tokens = null, IRoomLog? roomLog = null, int logBatch = 1024)
    {
        _roomLog = roomLog ?? new MemoryRoomLog(Math.Max(settings.HistoryOnJoin, settings.MaxHistoryPage) * 10);
        _historyOnJoin = settings.HistoryOnJoin;
        if (_roomLog is not MemoryRoomLog) _writer = new RoomLogWriter(_roomLog, PostFirst, clock, log, logBatch);
        _history = new HistoryReader(_roomLog, PostFirst, clock, log);
        _presenceDelayMs = (int)Math.Max(0, presenceDelay.TotalMilliseconds);
        _shared = _roomLog as ISharedRoomLog;
        _state = RoomState.Empty(settings) with { Host = _shared?.HostId ?? "" };
        _inputs = new InputQueue(inboxLines);
        _connections = connections;
        _grace = closeGrace;
        _clock = clock;
        _log = log;
        _checker = checker(this);
        _tokens = tokens?.Invoke(this);
        _thread = new Thread(Run) { IsBackground = true, Name = "room" };
    }

    /// <summary>Reads what the log holds (the room's first input) and starts the room's thread.</summary>
    public void Start()
    {
        _inputs.Post(new Input.Recovered(_roomLog.Recover(_historyOnJoin), Now));
        _thread.Start();
    }

    /// <summary>Queues an input for the room. Safe from any thread; false (ignored) once the loop has stopped.</summary>
    public bool Post(Input input, ReadGate? gate = null) => _inputs.Post(input, gate);

    /// <summary>Queues one of the room log's answers ahead of the inputs waiting (see <see cref="InputQueue.PostFirst"/>).</summary>
    private bool PostFirst(Input input) => _inputs.PostFirst(input);

    /// <summary>Completes when the inbox has room for more client lines (see <see cref="InputQueue.WaitForSpace"/>).</summary>
    public Task WaitForSpace() => _inputs.WaitForSpace();

    /// <summary>
    /// Stops the room ahead of anything still queued: the next input the room thread applies is this one, so a
    /// backlog of client lines cannot delay everyone's BYE.
    /// </summary>
    public void Shutdown(DateTimeOffset at)
    {
        var shutdown = new Input.Shutdown(at);
        _shutdown = shutdown;
        _inputs.Post(shutdown);
    }

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>
    /// Called on the room's thread with each input just before the reducer applies it, the loop's own (the recovery,
    /// the log's commits, token answers) included: so a test can check that the batched loop is <c>Room.Run</c> over
    /// what it applied. Set before <see cref="Start"/>.
    /// </summary>
    internal Action<Input>? Applying { get; set; }

    /// <summary>The room's state; read it only once the loop has stopped.</summary>
    internal RoomState State => _state;

    private void Run()
    {
        // Inputs are taken in batches: everything already waiting (up to a bound) is applied before the lines
        // queued for each connection are written, with one non-blocking send per connection. Under load many
        // lines then leave in one system call; when idle a batch is a single input, so nothing waits.
        // Presence lines that may wait (see Effect.Broadcast) are flushed once the oldest of them has waited
        // PresenceDelay: the room sleeps at most until then. That is a transport detail, like Nagle's algorithm
        // but bounded, so it is timed with the machine's clock rather than the room's.
        while (true)
        {
            var wait = _waiting.Count == 0 ? Timeout.Infinite : (int)Math.Max(0, _waitingDue - Environment.TickCount64);
            var taken = _inputs.Take(out var posted, wait);
            if (taken == TakeResult.Completed) break;
            if (taken == TakeResult.Taken)
            {
                // A committed batch counts as many inputs as it holds events: each is a broadcast to everyone, and
                // the members' queues must be written before they pile up.
                var n = Apply(posted);
                while (n < MaxBatch && _inputs.TryTake(out posted)) n += Apply(posted);
            }
            Commit();
            ReleaseReaders();
            FlushAll(_dirty);
            if (_waiting.Count > 0 && Environment.TickCount64 >= _waitingDue) FlushAll(_waiting);
        }
        Commit();
        foreach (var gate in _held) gate.Open();
        _held.Clear();
        FlushAll(_dirty);
        FlushAll(_waiting);
    }

    /// <summary>Opens the read gates held while the log's writer was behind, once it has caught up (or fails: then the room refuses instead).</summary>
    private void ReleaseReaders()
    {
        if (_held.Count == 0 || _writer is { Failing: false, Waiting: > LogLowWater }) return;
        foreach (var gate in _held) gate.Open();
        _held.Clear();
    }

    /// <summary>
    /// The batch's appends go to the log: a memory log commits them here and now (their events are delivered in
    /// this same batch); a durable one through the writer, whose <see cref="Input.Committed"/> comes back later.
    /// </summary>
    private void Commit()
    {
        for (var rounds = 0; _drafts.Count > 0 && rounds < 4; rounds++)
        {
            if (_writer is not null)
            {
                _writer.Submit(_drafts);
                _drafts.Clear();
                return;
            }
            var committed = _roomLog.Append(_drafts);
            _drafts.Clear();
            Step(new Input.Committed(committed.ToSeq().Strict(), Now));
        }
    }

    private void FlushAll(List<Connection> connections)
    {
        foreach (var connection in connections)
        {
            connection.WaitListed = false;
            try
            {
                connection.Flush(_scratch);
            }
            catch (Exception e)
            {
                // One connection's failure stays with that connection.
                _log.LogError(e, "writing to {Connection} failed; closing it", connection.Id.ToString());
                connection.Abort();
            }
        }
        connections.Clear();
    }

    /// <summary>Applies one input; returns its weight in the batch (the events of a commit, else 1).</summary>
    private int Apply(Posted posted)
    {
        if (_shutdown is { } first && !_shutDown)
        {
            _shutDown = true;
            Step(first);
        }
        if (!ReferenceEquals(posted.Input, _shutdown)) Step(posted.Input); // the queued copy was applied first
        if (posted.Gate is { } gate)
        {
            // A new connection's gate (posted with its Opened) only waits for the room to have seen it: the log's
            // back-pressure holds the lines a connection sent, not its first read.
            if (posted.Input is Input.Received && _writer is { Failing: false } writer && writer.Waiting > LogHighWater) _held.Add(gate);
            else gate.Open();
        }
        return posted.Input is Input.Committed c ? Math.Max(1, c.Entries.Count) : 1;
    }

    private void Step(Input input)
    {
        Outcome outcome;
        Applying?.Invoke(input);
        try
        {
            outcome = Room.Step(_state, input);
        }
        catch (Exception e)
        {
            // A bug in the reducer must not take the room down: keep the last good state and go on.
            _log.LogCritical(e, "room step failed on {Input}; input ignored", input.GetType().Name);
            return;
        }
        _state = outcome.State;
        // Most lines under a flood have no effect at all; walking an empty Seq still allocates its enumerator.
        if (!outcome.Effects.IsEmpty)
        {
            foreach (var effect in outcome.Effects)
            {
                try
                {
                    Execute(effect);
                }
                catch (Exception e)
                {
                    _log.LogError(e, "effect {Effect} failed", effect.GetType().Name);
                }
            }
        }
        // Whatever the room thought of it, a connection reported closed must not stay open in the shell.
        if (input is Input.Closed closed && _connections.TryGetValue(closed.Id, out var gone)) gone.CloseAfterFlush(_grace);
        // A shared log feeds the room from its first event on, once the room knows where it starts; on each tick it
        // is offered who is in the room for its snapshot.
        Volatile.Write(ref _applied, _state.Seq);
        if (input is Input.Recovered) _shared?.Start(PostFirst, () => Volatile.Read(ref _applied));
        if (input is Input.Tick && _shared is { } shared) shared.Snapshot(_state);
        while (_answers.TryDequeue(out var answer)) Step(answer);
    }

    private void Execute(Effect effect)
    {
        switch (effect)
        {
            case Effect.Send send:
                if (_connections.TryGetValue(send.To, out var one) && EncodeOnce(send.Event, one.Version) is { } line) Deliver(one, line, canWait: false);
                break;
            case Effect.Broadcast broadcast:
                // Encoded once per protocol among the recipients, when the first of them is met.
                byte[]? first = null, second = null;
                var canWait = broadcast.CanWait && _presenceDelayMs > 0;
                foreach (var id in broadcast.To)
                {
                    if (!_connections.TryGetValue(id, out var member)) continue;
                    var shared = member.Version >= 2
                        ? second ??= Encode(broadcast.Event, member.Version)
                        : first ??= Encode(broadcast.Event, member.Version);
                    if (shared is null) break;
                    Deliver(member, shared, canWait);
                }
                break;
            case Effect.Append append:
                _drafts.Add(append.Draft);
                break;
            case Effect.ReadHistory read:
                _history.Read(read);
                break;
            case Effect.Relay relay:
                _shared?.Relay(relay);
                break;
            case Effect.UseProtocol use:
                if (_connections.TryGetValue(use.Id, out var speaking)) speaking.Version = use.Version;
                break;
            case Effect.Close close:
                if (_connections.TryGetValue(close.Id, out var closing)) closing.CloseAfterFlush(_grace);
                break;
            case Effect.LineLimit limit:
                if (_connections.TryGetValue(limit.Id, out var raised)) raised.LineLimit = limit.Bytes;
                break;
            case Effect.Abandon abandon:
                if (_connections.TryGetValue(abandon.Id, out var stalled) && Encode(abandon.Last, stalled.Version) is { } last) stalled.Abandon(last, _grace);
                break;
            case Effect.CheckPassword check:
                _checker.Check(check);
                break;
            case Effect.Register register:
                _checker.Register(register);
                break;
            case Effect.CancelCheck cancel:
                _checker.Cancel(cancel.Id);
                break;
            // Resume tokens never wait behind password checks: the look-up is done here, in microseconds.
            // The answer is applied right after this step, ahead of anything queued, so a flood of RESUMEs with bad
            // tokens meets the cool-down after exactly as many refusals as a flood of wrong passwords would.
            case Effect.CheckToken check:
                _answers.Enqueue(_tokens?.Check(check) ?? new Input.TokenChecked(check.Id, check.Nick, None, Now));
                break;
            case Effect.IssueToken issue:
                if (_tokens is null) Post(new Input.TokenIssued(issue.Id, issue.Nick, None, issue.Expires, Now));
                else _tokens.Issue(issue);
                break;
            case Effect.RevokeToken revoke:
                _tokens?.Revoke(revoke);
                break;
            case Effect.Log entry when _log.IsEnabled(Level(entry.Level)):
                _log.Log(Level(entry.Level), entry.Template, entry.Args.Cast<object?>().ToArray());
                break;
        }
    }

    private void Deliver(Connection connection, byte[] line, bool canWait)
    {
        switch (connection.Enqueue(line, canWait))
        {
            case EnqueueResult.NeedsKick when canWait:
                // Listed once until the list is flushed (it may have been flushed since through _dirty: then the
                // list's flush finds nothing to send, or sends what waited since, a little early).
                if (connection.WaitListed) break;
                if (_waiting.Count == 0) _waitingDue = Environment.TickCount64 + _presenceDelayMs;
                connection.WaitListed = true;
                _waiting.Add(connection);
                break;
            case EnqueueResult.NeedsKick:
                _dirty.Add(connection);
                break;
            case EnqueueResult.Overflowed:
                Post(new Input.SendQueueFull(connection.Id, Now));
                break;
        }
    }

    /// <summary>
    /// Like <see cref="Encode"/>, and a USERS line the room kept for several newcomers (RoomState.UsersLines: the
    /// same object each time) is encoded once; its bytes go when the room drops the line. A USERS line reads the
    /// same in every protocol.
    /// </summary>
    private byte[]? EncodeOnce(ServerEvent e, int version)
    {
        if (e is not ServerEvent.Users) return Encode(e, version);
        if (_encodedUsers.TryGetValue(e, out var kept)) return kept;
        var line = Encode(e, version);
        if (line is not null) _encodedUsers.AddOrUpdate(e, line);
        return line;
    }

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ServerEvent, byte[]> _encodedUsers = new();

    private byte[]? Encode(ServerEvent e, int version) =>
        EventCodec.EncodeLine(e, version).Match<byte[]?>(
            line => line,
            error =>
            {
                _log.LogError("refused to encode {Event}: {Error}", e.GetType().Name, error.Message);
                return null;
            });

    private static LogLevel Level(Severity severity) => severity switch
    {
        Severity.Debug => LogLevel.Debug,
        Severity.Warning => LogLevel.Warning,
        _ => LogLevel.Information,
    };

    /// <summary>Stops taking inputs and waits for the thread to finish what is queued.</summary>
    public void Stop(TimeSpan wait)
    {
        _inputs.Complete();
        _thread.Join(wait);
        _writer?.Stop(wait);
        _history.Dispose();
        _checker.Dispose();
        _tokens?.Dispose();
    }

    public void Dispose()
    {
        _inputs.Dispose();
        _writer?.Dispose();
    }
}
