namespace ChatRoom.Core.Room;

/// <summary>What <see cref="TokenBucket.Charge"/> decided about one line.</summary>
public enum Charged
{
    /// <summary>The bucket held the price: the line is carried out.</summary>
    Accepted,
    /// <summary>Too fast: the line is refused, and its price counts as a strike.</summary>
    Refused,
    /// <summary>The strikes passed the flood allowance: the connection is cut off.</summary>
    Flooding,
}

/// <summary>
/// A token bucket for rate limiting: <see cref="Tokens"/> refill at a steady rate up to a burst size, and
/// every line spends its price. A line the bucket cannot pay is refused and its price is counted in
/// <see cref="Strikes"/>, which are forgiven ten times slower than tokens refill: a client that goes over the
/// limit now and then, or keeps a little over it, is only refused; one that keeps sending well past it piles up
/// strikes until it passes the flood allowance. Refused lines cost no tokens, so a client that slows down to the
/// limit is served again at once.
/// </summary>
public readonly record struct TokenBucket(double Tokens, DateTimeOffset At, double Strikes = 0)
{
    /// <summary>A full bucket.</summary>
    public static TokenBucket Full(int burst, DateTimeOffset at) => new(burst, at);

    /// <summary>Spends one token at <paramref name="now"/>: the new bucket, or None when it is empty.</summary>
    public Option<TokenBucket> TrySpend(DateTimeOffset now, int burst, double perSecond)
    {
        var refilled = Refilled(now, burst, perSecond);
        return refilled >= 1 ? Some(this with { Tokens = refilled - 1, At = Later(now) }) : None;
    }

    /// <summary>
    /// Charges <paramref name="cost"/> at <paramref name="now"/>. Accepted when the refilled bucket holds the
    /// cost; otherwise the line is refused and the cost is added to the strikes (forgiven at a tenth of
    /// <paramref name="perSecond"/>), and once they pass <paramref name="floodAllowance"/> it is
    /// <see cref="Charged.Flooding"/>.
    /// </summary>
    public (TokenBucket Bucket, Charged Verdict) Charge(DateTimeOffset now, double cost, int burst, double perSecond, int floodAllowance)
    {
        var elapsed = Math.Max(0, (now - At).TotalSeconds);
        var tokens = Math.Min(burst, Tokens + elapsed * perSecond);
        var strikes = Math.Max(0, Strikes - elapsed * perSecond / 10);
        if (tokens >= cost) return (new TokenBucket(tokens - cost, Later(now), strikes), Charged.Accepted);
        var struck = new TokenBucket(tokens, Later(now), strikes + cost);
        return (struck, struck.Strikes > floodAllowance ? Charged.Flooding : Charged.Refused);
    }

    /// <summary>
    /// How long from <paramref name="now"/> until the bucket holds <paramref name="tokens"/> again (zero when it
    /// already does): the wait a client that paces itself by this bucket must leave before its next line.
    /// </summary>
    public TimeSpan Until(DateTimeOffset now, double tokens, int burst, double perSecond)
    {
        if (perSecond <= 0 || double.IsInfinity(perSecond)) return TimeSpan.Zero;
        return TimeSpan.FromSeconds(Math.Max(0, (Math.Min(tokens, burst) - Refilled(now, burst, perSecond)) / perSecond));
    }

    private double Refilled(DateTimeOffset now, int burst, double perSecond) =>
        Math.Min(burst, Tokens + Math.Max(0, (now - At).TotalSeconds) * perSecond);

    private DateTimeOffset Later(DateTimeOffset now) => now > At ? now : At;
}
