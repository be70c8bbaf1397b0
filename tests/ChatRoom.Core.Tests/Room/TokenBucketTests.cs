using ChatRoom.Core.Room;

namespace ChatRoom.Core.Tests.Room;

public class TokenBucketTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(5, 2.0, 0)]
    [InlineData(5, 2.0, 3)]
    [InlineData(16, 9.0, 15)]
    [InlineData(1, 0.5, 0)]
    public void Until_is_the_wait_after_which_the_bucket_can_be_spent_again_and_not_sooner(int burst, double perSecond, int spentFirst)
    {
        var bucket = TokenBucket.Full(burst, T0);
        var at = T0;
        // Spent one token every spentFirst ms until it is empty.
        while (bucket.TrySpend(at, burst, perSecond).Case is TokenBucket spent)
        {
            bucket = spent;
            at = at.AddMilliseconds(spentFirst);
        }
        var wait = bucket.Until(at, 1, burst, perSecond);
        Assert.True(wait > TimeSpan.Zero);
        Assert.True(bucket.TrySpend(at + wait - TimeSpan.FromMilliseconds(1), burst, perSecond).IsNone);
        Assert.True(bucket.TrySpend(at + wait + TimeSpan.FromTicks(1), burst, perSecond).IsSome);
    }

    [Fact]
    public void Until_is_zero_for_a_bucket_that_holds_the_tokens_or_never_refills()
    {
        Assert.Equal(TimeSpan.Zero, TokenBucket.Full(3, T0).Until(T0, 1, 3, 1));
        Assert.Equal(TimeSpan.Zero, new TokenBucket(0, T0).Until(T0, 1, 3, double.PositiveInfinity));
    }
}
