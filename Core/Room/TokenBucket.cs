namespace ChatRoom.Core.Room;

/// <summary>
/// A token bucket for rate limiting: <see cref="Tokens"/> refill at a steady rate up to a burst size, and
/// every message spends one.
/// </summary>
public readonly record struct TokenBucket(double Tokens, DateTimeOffset At)
{
    /// <summary>A full bucket.</summary>
    public static TokenBucket Full(int burst, DateTimeOffset at) => new(burst, at);

    /// <summary>Spends one token at <paramref name="now"/>: the new bucket, or None when it is empty.</summary>
    public Option<TokenBucket> TrySpend(DateTimeOffset now, int burst, double perSecond)
    {
        var elapsed = Math.Max(0, (now - At).TotalSeconds);
        var refilled = Math.Min(burst, Tokens + elapsed * perSecond);
        return refilled >= 1 ? Some(new TokenBucket(refilled - 1, now > At ? now : At)) : None;
    }
}
