namespace ChatRoom.Core.Client;

/// <summary>
/// When to try again after the connection dropped: attempt n waits a random time between half and all of
/// min(30 s, 0.5 s x 2^(n-1)) ("equal jitter", so clients dropped by one restart do not all come back in the same
/// millisecond, yet none waits much less than the schedule), and the client gives up after
/// <see cref="MaxAttempts"/> attempts. The ceilings are 0.5, 1, 2, 4, 8, 16, then 30 s: at most about 3.5 minutes
/// in all. The randomness is a seed the shell draws once (<see cref="ClientState.Seed"/>), stepped here
/// (SplitMix64), so the reducer stays pure and a test can replay it.
/// </summary>
public static class Backoff
{
    /// <summary>How many times the client tries to come back before it gives up (exit code 3).</summary>
    public const int MaxAttempts = 12;

    /// <summary>The ceiling of the first wait.</summary>
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two attempts.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    /// <summary>The ceiling of attempt <paramref name="attempt"/> (1 for the first).</summary>
    public static TimeSpan Ceiling(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(Longest.TotalMilliseconds, First.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 1, 30) - 1)));

    /// <summary>The wait before attempt <paramref name="attempt"/>, and the seed for the next draw.</summary>
    public static (TimeSpan Delay, ulong Seed) Delay(int attempt, ulong seed)
    {
        var next = seed + 0x9E3779B97F4A7C15UL;
        var z = next;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        var fraction = (z >> 11) * (1.0 / (1UL << 53));
        return (Ceiling(attempt) * (0.5 + 0.5 * fraction), next);
    }
}
