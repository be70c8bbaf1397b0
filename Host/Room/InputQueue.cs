using System.Collections.Concurrent;
using ChatRoom.Core.Room;

namespace ChatRoom.Host;

/// <summary>An input waiting for the room, with the read gate to open once it is applied (the last line of a read).</summary>
public readonly record struct Posted(Input Input, ReadGate? Gate);

/// <summary>What <see cref="InputQueue.Take(out Posted, int)"/> came back with.</summary>
public enum TakeResult
{
    /// <summary>An input.</summary>
    Taken,
    /// <summary>Nothing arrived in time.</summary>
    TimedOut,
    /// <summary>The queue is completed and empty: the room stops.</summary>
    Completed,
}

/// <summary>
/// The room's inbox: many threads post, the room thread takes. Unlike BlockingCollection (whose semaphore
/// spins with sched_yield before it sleeps, which profiling showed costing a quarter of the room thread's time
/// under light traffic), an empty queue puts the room thread straight to sleep, and a post wakes it only when
/// it is actually asleep. It is bounded for client lines: past <see cref="Capacity"/> the read loops wait in
/// <see cref="WaitForSpace"/> until the room has taken half of it. The shell's own inputs (closes, verdicts,
/// ticks) are never refused; they are bounded by the connections and checks that cause them.
/// </summary>
public sealed class InputQueue : IDisposable
{
    private readonly ConcurrentQueue<Posted> _queue = new();
    private readonly ConcurrentQueue<Posted> _first = new();
    private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 1);
    private readonly Lock _spaceGate = new();
    private TaskCompletionSource? _space;
    private int _count;
    private int _sleeping;
    private volatile bool _completed;

    public InputQueue(int capacity) => Capacity = capacity;

    /// <summary>How many client lines may wait before readers are held back.</summary>
    public int Capacity { get; }

    /// <summary>Inputs waiting now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds an input; false (and ignored) once the queue is completed.</summary>
    public bool Post(Input input, ReadGate? gate = null)
    {
        if (_completed) return false;
        Interlocked.Increment(ref _count);
        _queue.Enqueue(new Posted(input, gate));
        if (Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1) _wake.Set();
        return true;
    }

    /// <summary>
    /// Adds an input that is taken before anything posted with <see cref="Post"/>: the room log's answers
    /// (<see cref="Input.Committed"/> and the like). They carry work the room already accepted, and what waits for
    /// them (deliveries, the count of appends in flight) must not wait behind a full inbox of new lines. Among
    /// themselves they keep their order. False (ignored) once the queue is completed.
    /// </summary>
    public bool PostFirst(Input input)
    {
        if (_completed) return false;
        Interlocked.Increment(ref _count);
        _first.Enqueue(new Posted(input, null));
        if (Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1) _wake.Set();
        return true;
    }

    /// <summary>Completes at once while there is room for client lines, else when the room has caught up by half.</summary>
    public Task WaitForSpace()
    {
        if (Count < Capacity || _completed) return Task.CompletedTask;
        lock (_spaceGate)
        {
            if (Count < Capacity) return Task.CompletedTask;
            _space ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _space.Task;
        }
    }

    /// <summary>Takes an input without waiting.</summary>
    public bool TryTake(out Posted posted)
    {
        if (!_first.TryDequeue(out posted) && !_queue.TryDequeue(out posted)) return false;
        Taken();
        return true;
    }

    /// <summary>Takes an input, sleeping while there is none. False once completed and drained.</summary>
    public bool Take(out Posted posted) => Take(out posted, Timeout.Infinite) == TakeResult.Taken;

    /// <summary>
    /// Takes an input, sleeping while there is none, but at most <paramref name="timeoutMilliseconds"/>
    /// (<see cref="Timeout.Infinite"/> for no limit).
    /// </summary>
    public TakeResult Take(out Posted posted, int timeoutMilliseconds)
    {
        while (true)
        {
            if (TryTake(out posted)) return TakeResult.Taken;
            if (_completed) return TryTake(out posted) ? TakeResult.Taken : TakeResult.Completed;
            _wake.Reset();
            Interlocked.Exchange(ref _sleeping, 1);
            // Re-check after announcing the sleep: a post that came in between is seen here, and any later
            // post sees _sleeping and sets the event.
            if (TryTake(out posted))
            {
                Interlocked.Exchange(ref _sleeping, 0);
                return TakeResult.Taken;
            }
            if (_completed) return TakeResult.Completed;
            if (!_wake.Wait(timeoutMilliseconds))
            {
                Interlocked.Exchange(ref _sleeping, 0);
                return TryTake(out posted) ? TakeResult.Taken : TakeResult.TimedOut;
            }
        }
    }

    private void Taken()
    {
        var left = Interlocked.Decrement(ref _count);
        if (Volatile.Read(ref _space) is null || left > Capacity / 2) return;
        TaskCompletionSource? release;
        lock (_spaceGate)
        {
            release = _space;
            _space = null;
        }
        release?.TrySetResult();
    }

    /// <summary>No more inputs will be accepted; the taker drains what is left and stops, and waiting readers go on.</summary>
    public void Complete()
    {
        _completed = true;
        _wake.Set();
        lock (_spaceGate)
        {
            _space?.TrySetResult();
            _space = null;
        }
    }

    public void Dispose() => _wake.Dispose();
}
