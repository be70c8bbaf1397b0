using ChatRoom.Core.Room;

namespace ChatRoom.Client.Session;

/// <summary>
/// The server refuses SAY and WHISPER beyond its rate limit (ERROR 429: 20 at once, then 10 per second, see
/// docs/PROTOCOL.md section 10). A script of fifty lines would lose thirty of them, so the client keeps a token
/// bucket of its own (the core's <see cref="TokenBucket"/>) and holds a line back until the server would accept
/// it. It stays a little under the room's default limit: the two clocks measure from different moments (the
/// server from when each line arrives), and the margin absorbs that jitter. A server with a looser limit just
/// gets a slightly slower client.
/// </summary>
public static class Pacing
{
    /// <summary>Messages that may go at once: the room's burst less a margin of four.</summary>
    public static int Burst => Math.Max(1, RoomSettings.Default.RateBurst - 4);

    /// <summary>Messages per second after the burst: 90% of the room's rate.</summary>
    public static double PerSecond => RoomSettings.Default.RatePerSecond * 0.9;

    /// <summary>Spends a token at <paramref name="now"/>: the new bucket, or None when the message must wait.</summary>
    public static Option<TokenBucket> TrySpend(TokenBucket bucket, DateTimeOffset now) => bucket.TrySpend(now, Burst, PerSecond);

    /// <summary>
    /// How long until the bucket holds a whole token again, plus a millisecond so that rounding can never leave
    /// it a hair short when the timer fires.
    /// </summary>
    public static TimeSpan UntilNextToken(TokenBucket bucket, DateTimeOffset now)
    {
        var refilled = Math.Min(Burst, bucket.Tokens + Math.Max(0, (now - bucket.At).TotalSeconds) * PerSecond);
        return TimeSpan.FromSeconds(Math.Max(0, (1 - refilled) / PerSecond) + 0.001);
    }
}
