using ChatRoom.Core.Client;

namespace ChatRoom.Client.Shell;

/// <summary>
/// The shell's whole part in the client's timing: after each step it looks at the state's
/// <see cref="ClientState.NextDeadline"/> and makes sure a wake-up is due at it, which the loop answers with
/// <see cref="ClientInput.Tick"/>. Only the reducer decides what a deadline means. A wake-up a little early, late
/// or to spare is harmless: a tick before a deadline does nothing, and the next step arms the alarm again.
/// Used from the loop's thread only.
/// </summary>
internal sealed class Alarm
{
    private readonly Action<DateTimeOffset> _wake;
    private DateTimeOffset? _armedFor;

    /// <param name="wake">Posts a wake-up for the deadline to the loop; called on a thread-pool thread.</param>
    public Alarm(Action<DateTimeOffset> wake) => _wake = wake;

    /// <summary>Arms a wake-up at the state's earliest deadline unless one at or before it is armed already.</summary>
    public void Follow(ClientState state)
    {
        if (state.NextDeadline.Case is not DateTimeOffset due) return;
        if (_armedFor is { } armed && armed <= due) return;
        _armedFor = due;
        var delay = due - DateTimeOffset.Now;
        _ = Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay).ContinueWith(_ => _wake(due), TaskScheduler.Default);
    }

    /// <summary>The wake-up for <paramref name="due"/> arrived at the loop: the next <see cref="Follow"/> may arm another.</summary>
    public void Rang(DateTimeOffset due)
    {
        if (_armedFor == due) _armedFor = null;
    }
}
