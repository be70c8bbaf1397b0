using static ChatRoom.Host.Tests.Log.LogFixtures;

namespace ChatRoom.Host.Tests.Log;

/// <summary>The log without the log: seqs from 1, the newest entries in memory, nothing durable.</summary>
public class MemoryRoomLogTests
{
    [Fact]
    public void Seqs_start_at_1_and_only_the_newest_entries_are_kept()
    {
        using var log = new MemoryRoomLog(capacity: 5);
        Assert.Equal(Range(1, 8), Seqs(log.Append(Messages(8))));
        var recovery = log.Recover(10);
        Assert.Equal(8, recovery.LastSeq);
        Assert.Equal(Range(4, 8), Seqs(recovery.Recent));
        Assert.Equal(Range(7, 8), Seqs(log.Recover(2).Recent));
    }

    [Fact]
    public void Before_pages_back_within_what_it_holds()
    {
        using var log = new MemoryRoomLog(capacity: 10);
        log.Append(Messages(25));
        Assert.Equal(Range(21, 25), Seqs(log.Before(long.MaxValue, 5)));
        Assert.Equal(Range(16, 20), Seqs(log.Before(21, 5)));
        Assert.Equal(Range(16, 17), Seqs(log.Before(18, 10)));
        Assert.Empty(log.Before(16, 10));
    }

    [Fact]
    public void Present_follows_joined_and_left_with_folded_nicks()
    {
        using var log = new MemoryRoomLog(capacity: 0);
        log.Append([Came("Bob"), Came("alice"), Came("carol"), Went("BOB")]);
        Assert.Equal(["alice", "carol"], log.Recover(0).Present.ToArray());
        Assert.Empty(log.Recover(10).Recent);
    }

    [Fact]
    public void Export_and_prune_work_on_what_it_holds()
    {
        using var log = new MemoryRoomLog(capacity: 100);
        log.Append(Messages(10)); // T0 + 0..9 s
        Assert.Equal(Range(8, 10), Seqs(log.Export(7, DateTimeOffset.MinValue)));
        Assert.Equal(Range(6, 10), Seqs(log.Export(0, T0.AddSeconds(5))));
        Assert.Equal(4, log.Prune(6, TimeSpan.Zero, T0));
        Assert.Equal(3, log.Prune(0, TimeSpan.FromSeconds(3), T0.AddSeconds(10))); // seqs 5..7, older than T0 + 7 s
        Assert.Equal(Range(8, 10), Seqs(log.Export(0, DateTimeOffset.MinValue)));
        Assert.Equal(10, log.Recover(0).LastSeq);
    }
}
