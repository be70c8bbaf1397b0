namespace ChatRoom.Core.Room;

/// <summary>What <see cref="TokenBucket.Charge"/> decided about one line.</summary>
public enum Charged
{
    /// <summary>The bucket held the price: the line is carried out.</summary>
    Accepted,
    /// <summary>Too fast: the line is refused, and its price is still taken, as debt.</summary>
    Refused,
    /// <summary>The debt passed the flood allowance: the connection is cut off.</summary>
    Flooding,
}

/// <summary>
/// A token bucket for rate limiting: <see cref="Tokens"/> refill at a steady rate up to a burst size, and
/// every line spends its price. A refused line is charged too, so the bucket may go into debt: a client that
/// keeps sending past its limit sinks deeper, and one that sinks past the flood allowance is cut off.
/// </summary>
public readonly record struct TokenBucket(double Tokens, DateTimeOffset At)
{
    /// <summary>A full bucket.</summary>
    public static TokenBucket Full(int burst, DateTimeOffset at) => new(burst, at);

    /// <summary>Spends one token at <paramref name="now"/>: the new bucket, or None when it is empty (no debt).</summary>
    public Option<TokenBucket> TrySpend(DateTimeOffset now, int burst, double perSecond)
    {
        var refilled = Refilled(now, burst, perSecond);
        return refilled >= 1 ? Some(new TokenBucket(refilled - 1, Later(now))) : None;
    }

    /// <summary>
    /// Charges <paramref name="cost"/> at <paramref name="now"/>. Accepted when the refilled bucket holds the
    /// cost; otherwise the cost is taken anyway, as debt, and the line is refused, unless the debt would pass
    /// <paramref name="floodAllowance"/>, which makes it <see cref="Charged.Flooding"/>.
    /// </summary>
    public (TokenBucket Bucket, Charged Verdict) Charge(DateTimeOffset now, double cost, int burst, double perSecond, int floodAllowance)
    {
        var refilled = Refilled(now, burst, perSecond);
        var after = new TokenBucket(refilled - cost, Later(now));
        if (refilled >= cost) return (after, Charged.Accepted);
        return (after, after.Tokens < -floodAllowance ? Charged.Flooding : Charged.Refused);
    }

    private double Refilled(DateTimeOffset now, int burst, double perSecond) =>
        Math.Min(burst, Tokens + Math.Max(0, (now - At).TotalSeconds) * perSecond);

    private DateTimeOffset Later(DateTimeOffset now) => now > At ? now : At;
}
