namespace ChatRoom.Host.Tests;

/// <summary>
/// <see cref="MemoryTrim"/> decides when the server gives its spare heap back: after a burst, once quiet, and
/// not again until another burst. Readings are the total bytes allocated, one per tick.
/// </summary>
public class MemoryTrimTests
{
    private const long MiB = 1 << 20;

    // Two quiet ticks, quiet below 1 MiB a tick, a burst of at least 16 MiB.
    private static MemoryTrim Policy() => new(quietTicks: 2, quietBytesPerTick: MiB, burstBytes: 16 * MiB);

    private static List<bool> Feed(MemoryTrim trim, params long[] readingsMiB) => [.. readingsMiB.Select(r => trim.Due(r * MiB))];

    [Fact]
    public void A_burst_is_trimmed_once_the_server_has_been_quiet_for_the_ticks_asked()
    {
        //                             start burst burst quiet quiet
        Assert.Equal([false, false, false, false, true], Feed(Policy(), 0, 40, 80, 80, 80));
    }

    [Fact]
    public void No_trim_while_allocation_goes_on_however_much_was_allocated()
    {
        Assert.DoesNotContain(true, Feed(Policy(), 0, 20, 40, 60, 80, 100, 120, 140));
    }

    [Fact]
    public void A_quiet_server_that_allocated_little_is_never_collected()
    {
        // Half a MiB a tick for 30 ticks: quiet all along, but 15 MiB in all is no burst.
        var trim = Policy();
        Assert.DoesNotContain(true, Enumerable.Range(0, 31).Select(i => trim.Due(i * MiB / 2)).ToList());
    }

    [Fact]
    public void After_a_trim_the_next_needs_a_new_burst_and_new_quiet()
    {
        var trim = Policy();
        Assert.Equal([false, false, false, true], Feed(trim, 0, 50, 50, 50));
        Assert.Equal([false, false, false], Feed(trim, 50, 50, 60)); // quiet, but only 10 MiB since
        Assert.Equal([false, false, true], Feed(trim, 70, 70, 70)); // 20 MiB since, then quiet
    }

    [Fact]
    public void A_busy_tick_starts_the_quiet_count_again()
    {
        Assert.Equal([false, false, false, false, false, true], Feed(Policy(), 0, 40, 40, 45, 45, 45));
    }

    [Fact]
    public void Zero_quiet_ticks_means_never()
    {
        Assert.Null(MemoryTrim.For(0));
        Assert.NotNull(MemoryTrim.For(2));
    }
}
