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
    private static readonly byte[] OverflowBye = LineFramer.ToWire("BYE send queue exceeded");

    private readonly InputQueue _inputs = new();
    private readonly ConcurrentDictionary<ConnectionId, Connection> _connections;
    private readonly Action<Effect.CheckPassword> _checkPassword;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly TimeSpan _grace;
    private readonly Thread _thread;
    private readonly List<Connection> _dirty = [];
    private readonly byte[] _scratch = new byte[64 * 1024];
    private RoomState _state;

    /// <summary>The most inputs applied before queued lines are handed to the writers.</summary>
    private const int MaxBatch = 256;

    public RoomLoop(RoomSettings settings, ConcurrentDictionary<ConnectionId, Connection> connections,
        Action<Effect.CheckPassword> checkPassword, TimeSpan closeGrace, TimeProvider clock, ILogger log)
    {
        _state = RoomState.Empty(settings);
        _connections = connections;
        _checkPassword = checkPassword;
        _grace = closeGrace;
        _clock = clock;
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = "room" };
    }

    public void Start() => _thread.Start();

    /// <summary>Queues an input for the room. Safe from any thread; ignored once the loop has stopped.</summary>
    public void Post(Input input) => _inputs.Post(input);

    public DateTimeOffset Now => _clock.GetUtcNow();

    private void Run()
    {
        // Inputs are taken in batches: everything already waiting (up to a bound) is applied before the lines
        // queued for each connection are written, with one non-blocking send per connection. Under load many
        // lines then leave in one system call; when idle a batch is a single input, so nothing waits.
        while (_inputs.Take(out var input))
        {
            Apply(input);
            for (var n = 1; n < MaxBatch && _inputs.TryTake(out input); n++) Apply(input);
            foreach (var connection in _dirty)
            {
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
            _dirty.Clear();
        }
    }

    private void Apply(Input input)
    {
        Outcome outcome;
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
        // Whatever the room thought of it, a connection reported closed must not stay open in the shell.
        if (input is Input.Closed closed && _connections.TryGetValue(closed.Id, out var gone)) gone.CloseAfterFlush(_grace);
    }

    private void Execute(Effect effect)
    {
        switch (effect)
        {
            case Effect.Send send:
                if (_connections.TryGetValue(send.To, out var one) && Encode(send.Event) is { } line) Deliver(one, line);
                break;
            case Effect.Broadcast broadcast:
                if (Encode(broadcast.Event) is not { } shared) break;
                foreach (var id in broadcast.To)
                    if (_connections.TryGetValue(id, out var member)) Deliver(member, shared);
                break;
            case Effect.Close close:
                if (_connections.TryGetValue(close.Id, out var closing)) closing.CloseAfterFlush(_grace);
                break;
            case Effect.CheckPassword check:
                _checkPassword(check);
                break;
            case Effect.Log entry:
                _log.Log(Level(entry.Level), entry.Template, entry.Args.Cast<object?>().ToArray());
                break;
        }
    }

    private void Deliver(Connection connection, byte[] line)
    {
        switch (connection.Enqueue(line, OverflowBye, _grace))
        {
            case EnqueueResult.NeedsKick:
                _dirty.Add(connection);
                break;
            case EnqueueResult.Overflowed:
                var who = _state.Sessions.Find(connection.Id).Map(s => s.Who).IfNone(connection.Id.ToString());
                _log.LogWarning("send queue exceeded for {Nick} ({Connection}) from {Address}:{Port}: closing it",
                    who, connection.Id.ToString(), connection.Address, connection.Port);
                Post(new Input.Closed(connection.Id, "send queue exceeded", Now));
                break;
        }
    }

    private byte[]? Encode(ServerEvent e) =>
        EventCodec.EncodeLine(e).Match<byte[]?>(
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
    }

    public void Dispose() => _inputs.Dispose();
}
