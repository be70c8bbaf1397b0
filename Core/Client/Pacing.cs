using ChatRoom.Core.Room;

namespace ChatRoom.Core.Client;

/// <summary>
/// The server refuses SAY and WHISPER beyond its rate limit (ERROR 429: by default 20 at once, then 10 per
/// second, see docs/PROTOCOL.md section 10). A script of fifty lines would lose thirty of them, so the client
/// keeps a token bucket of its own (the core's <see cref="TokenBucket"/>) and holds a line back until the server
/// would accept it. The limit is the one the server announced in HELLO (protocol 2), or the room's default
/// (protocol 1). The client stays a little under it: the two clocks measure from different moments (the server
/// from when each line arrives), and the margin absorbs that jitter. A server that announces no rate limit is
/// not paced at all.
/// </summary>
public static class Pacing
{
    /// <summary>Messages that may go at once: the server's burst less a margin of four (at least one).</summary>
    public static int Burst(ServerLimits limits) => limits.Burst.Match(b => Math.Max(1, b - 4), () => int.MaxValue);

    /// <summary>Messages per second after the burst: 90% of the server's rate.</summary>
    public static double PerSecond(ServerLimits limits) => limits.Rate.Match(r => r * 0.9, () => double.PositiveInfinity);

    /// <summary>A full bucket for these limits.</summary>
    public static TokenBucket Full(ServerLimits limits, DateTimeOffset at) => TokenBucket.Full(Burst(limits), at);

    /// <summary>
    /// Spends a token at <paramref name="now"/>: the new bucket, or None when the message must wait. Without a
    /// rate limit the bucket is never spent.
    /// </summary>
    public static Option<TokenBucket> TrySpend(TokenBucket bucket, DateTimeOffset now, ServerLimits limits) =>
        limits.Rate.IsNone ? bucket : bucket.TrySpend(now, Burst(limits), PerSecond(limits));

    /// <summary>
    /// How long until the bucket holds a whole token again, plus a millisecond so that rounding can never leave
    /// it a hair short when the timer fires.
    /// </summary>
    public static TimeSpan UntilNextToken(TokenBucket bucket, DateTimeOffset now, ServerLimits limits) =>
        limits.Rate.IsNone
            ? TimeSpan.FromMilliseconds(1)
            : bucket.Until(now, 1, Burst(limits), PerSecond(limits)) + TimeSpan.FromMilliseconds(1);
}
