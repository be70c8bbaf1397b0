using ChatRoom.Core.Log;
using ChatRoom.Core.Room;
using Microsoft.Extensions.Logging;

namespace ChatRoom.Host;

/// <summary>
/// Owns the appends to the room log on a thread of its own, so that a slow or full disk never stalls the room's
/// thread. The room hands over each batch's drafts (<see cref="Submit"/>); the writer commits everything waiting
/// in one transaction (at most <c>maxBatch</c> events) and posts <see cref="Input.Committed"/> back to the room,
/// which delivers the events only then. A failed commit is retried, with the same events in the same order, until
/// it works; the room is told once (<see cref="Input.LogFailed"/>) so that it refuses new messages meanwhile.
/// Nothing handed over is ever dropped while the process lives.
/// </summary>
public sealed class RoomLogWriter : IDisposable
{
    private readonly IRoomLog _log;
    private readonly Func<Input, bool> _post;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly int _maxBatch;
    private readonly Lock _gate = new();
    private readonly List<Draft> _waiting = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private volatile bool _failing;

    public RoomLogWriter(IRoomLog log, Func<Input, bool> post, TimeProvider clock, ILogger logger, int maxBatch)
    {
        _log = log;
        _post = post;
        _clock = clock;
        _logger = logger;
        _maxBatch = Math.Max(1, maxBatch);
        _thread = new Thread(Run) { IsBackground = true, Name = "room log" };
        _thread.Start();
    }

    /// <summary>How long to wait before trying a failed commit again.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Hands over drafts, in the room's order. Called from the room's thread only.</summary>
    public void Submit(List<Draft> drafts)
    {
        lock (_gate)
        {
            var wasEmpty = _waiting.Count == 0;
            _waiting.AddRange(drafts);
            if (!wasEmpty) return;
        }
        _wake.Release();
    }

    /// <summary>True while commits fail (between a <see cref="Input.LogFailed"/> and the next commit that works).</summary>
    public bool Failing => _failing;

    /// <summary>Events handed over and not committed yet.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate) return _waiting.Count;
        }
    }

    private void Run()
    {
        var batch = new List<Draft>();
        while (true)
        {
            lock (_gate)
            {
                var n = Math.Min(_maxBatch, _waiting.Count);
                batch.AddRange(_waiting.GetRange(0, n));
                _waiting.RemoveRange(0, n);
                _inHand = n;
            }
            if (batch.Count == 0)
            {
                if (_stopping) return;
                _wake.Wait(TimeSpan.FromMilliseconds(200));
                continue;
            }
            while (!Commit(batch))
            {
                if (_stopping && _clock.GetUtcNow().UtcTicks > Volatile.Read(ref _giveUpAt)) return;
                _wake.Wait(RetryAfter);
            }
            batch.Clear();
            _inHand = 0;
        }
    }

    private long _giveUpAt = long.MaxValue; // UTC ticks, set by Stop
    private volatile int _inHand; // the batch being committed

    private bool Commit(List<Draft> batch)
    {
        IReadOnlyList<LogEntry> committed;
        try
        {
            committed = _log.Append(batch);
        }
        catch (Exception e)
        {
            if (!_failing)
            {
                _failing = true;
                _logger.LogCritical(e, "the room log cannot commit {Count} events: {Reason}; nothing is delivered until it can, retrying every {Seconds} s",
                    batch.Count, e.Message, RetryAfter.TotalSeconds);
                _post(new Input.LogFailed(e.Message, _clock.GetUtcNow()));
            }
            return false;
        }
        if (_failing)
        {
            _failing = false;
            _logger.LogWarning("the room log commits again ({Count} events that waited)", batch.Count);
        }
        _post(new Input.Committed(committed.ToSeq().Strict(), _clock.GetUtcNow()));
        return true;
    }

    /// <summary>
    /// Commits what is waiting (trying for at most <paramref name="wait"/>) and stops. Used at shutdown, after the
    /// room's last batch, so that the members' LEFT lines are in the log.
    /// </summary>
    public bool Stop(TimeSpan wait)
    {
        Volatile.Write(ref _giveUpAt, (_clock.GetUtcNow() + wait).UtcTicks);
        _stopping = true;
        _wake.Release();
        var done = _thread.Join(wait + TimeSpan.FromMilliseconds(500));
        var lost = Waiting + _inHand;
        if (!done || lost > 0)
            _logger.LogCritical("stopped with {Count} room events not committed to the log", lost);
        return done;
    }

    /// <summary>Frees the wake-up semaphore, unless the thread still runs (a stop that timed out): it waits on it.</summary>
    public void Dispose()
    {
        if (!_thread.IsAlive) _wake.Dispose();
    }
}
