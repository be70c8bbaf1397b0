using System.Threading.Tasks.Sources;

namespace ChatRoom.Host;

/// <summary>
/// Holds a connection's read loop until the room has applied the lines it last posted: the inbox then holds at
/// most one read's worth of lines per connection, and a client that sends faster than the room applies is
/// slowed by TCP flow control, alone. Reusable and allocation-free: one armed wait at a time.
/// </summary>
public sealed class ReadGate : IValueTaskSource
{
    // Continuations run on the thread pool, never inline on the room thread that opens the gate.
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _armed;

    /// <summary>Closes the gate before lines are posted; <see cref="Wait"/> then completes once it is opened.</summary>
    public ValueTask Arm()
    {
        _core.Reset();
        Volatile.Write(ref _armed, 1);
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Opens the gate (the room applied the lines, or the connection is gone). Extra calls do nothing.</summary>
    public void Open()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1) _core.SetResult(true);
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
