using ChatRoom.Core.Log;
using ChatRoom.Core.Room;
using Microsoft.Data.Sqlite;
using static ChatRoom.Host.Tests.Log.LogFixtures;

namespace ChatRoom.Host.Tests.Log;

/// <summary>The embedded room log: seqs, recovery, paging, export and retention, on a real file.</summary>
public class SqliteRoomLogTests
{
    [Fact]
    public void Append_gives_seqs_from_1_and_recover_reads_them_back_oldest_first()
    {
        using var dir = new TempDir();
        using (var log = Open(dir))
        {
            var committed = log.Append([Came("alice", 1), Said("alice", "hi", 2), Went("alice", "bye", 3)]);
            Assert.Equal([1L, 2, 3], Seqs(committed));
            Assert.Equal(new ConnectionId(7), committed[1].Origin);
        }
        using var reopened = Open(dir);
        var recovery = reopened.Recover(10);
        Assert.Equal(3, recovery.LastSeq);
        Assert.Equal(
            [
                new LogEntry(1, T0.AddSeconds(1), new RoomEvent.Joined("alice"), new ConnectionId(0)),
                new LogEntry(2, T0.AddSeconds(2), new RoomEvent.Message("alice", "hi"), new ConnectionId(0)),
                new LogEntry(3, T0.AddSeconds(3), new RoomEvent.Left("alice", "bye"), new ConnectionId(0)),
            ],
            recovery.Recent.ToArray());
    }

    [Fact]
    public void Times_are_kept_to_the_millisecond_in_UTC_and_committed_as_stored()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        var at = new DateTimeOffset(2026, 12, 2, 5, 18, 9, 123, TimeSpan.FromHours(1)).AddTicks(4567);
        var committed = log.Append([new Draft(new RoomEvent.Message("alice", "hi"), at, new ConnectionId(1))]);
        var expected = new DateTimeOffset(2026, 12, 2, 4, 18, 9, 123, TimeSpan.Zero);
        Assert.Equal(expected, committed[0].At);
        Assert.Equal(TimeSpan.Zero, committed[0].At.Offset);
        Assert.Equal(committed[0].At, log.Recover(1).Recent[0].At);
    }

    [Fact]
    public void Recover_returns_only_the_newest_entries_asked_for()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        log.Append(Messages(100));
        var recovery = log.Recover(5);
        Assert.Equal(100, recovery.LastSeq);
        Assert.Equal(Range(96, 100), Seqs(recovery.Recent));
        Assert.Empty(log.Recover(0).Recent);
    }

    [Fact]
    public void Seq_continues_after_reopening()
    {
        using var dir = new TempDir();
        using (var log = Open(dir)) log.Append(Messages(3));
        using (var log = Open(dir)) Assert.Equal([4L, 5], Seqs(log.Append(Messages(2))));
        using (var log = Open(dir)) Assert.Equal(5, log.Recover(0).LastSeq);
    }

    [Fact]
    public void Seq_continues_after_pruning_everything_and_reopening()
    {
        using var dir = new TempDir();
        using (var log = Open(dir))
        {
            log.Append(Messages(10));
            Assert.Equal(10, log.Prune(0, TimeSpan.FromMinutes(1), T0.AddDays(1)));
            Assert.Empty(log.Recover(10).Recent);
        }
        using (var log = Open(dir))
        {
            Assert.Equal(10, log.Recover(10).LastSeq);
            Assert.Equal([11L], Seqs(log.Append(Messages(1))));
        }
    }

    [Fact]
    public void Present_nicks_are_those_whose_last_event_is_joined_in_the_order_they_came()
    {
        using var dir = new TempDir();
        using (var log = Open(dir))
        {
            log.Append([Came("carol"), Came("Alice"), Came("bob"), Said("bob", "hi")]);
            log.Append([Went("carol", "quit"), Came("carol"), Went("ALICE")]);
        }
        // Reopened as after a kill: nobody's LEFT for bob and carol was ever written.
        using var reopened = Open(dir);
        Assert.Equal(["bob", "carol"], reopened.Recover(0).Present.ToArray());
    }

    [Fact]
    public void Present_keeps_the_nick_as_spelled_and_matches_folded()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        log.Append([Came("Alice")]);
        Assert.Equal(["Alice"], log.Recover(0).Present.ToArray());
        log.Append([Went("aLiCe")]);
        Assert.Empty(log.Recover(0).Present);
    }

    [Fact]
    public void Before_pages_back_oldest_first_and_stops_at_the_start()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        log.Append(Messages(25));
        Assert.Equal(Range(16, 25), Seqs(log.Before(26, 10)));
        Assert.Equal(Range(6, 15), Seqs(log.Before(16, 10)));
        Assert.Equal(Range(1, 5), Seqs(log.Before(6, 10)));
        Assert.Empty(log.Before(1, 10));
        Assert.Empty(log.Before(26, 0));
        Assert.Equal(Range(21, 25), Seqs(log.Before(long.MaxValue, 5)));
    }

    [Fact]
    public void Export_by_seq_streams_everything_after_it()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        log.Append(Messages(5));
        Assert.Equal(Range(3, 5), Seqs(log.Export(2, DateTimeOffset.MinValue)));
        Assert.Equal(Range(1, 5), Seqs(log.Export(0, DateTimeOffset.MinValue)));
        Assert.Empty(log.Export(5, DateTimeOffset.MinValue));
    }

    [Fact]
    public void Export_by_time_includes_entries_at_that_time()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        log.Append(Messages(5)); // at T0 + 0..4 s
        Assert.Equal(Range(3, 5), Seqs(log.Export(0, T0.AddSeconds(2))));
        Assert.Equal([5L], Seqs(log.Export(3, T0.AddSeconds(4))));
    }

    [Fact]
    public void Export_is_lazy_and_sees_what_was_committed_when_it_starts()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        var export = log.Export(0, DateTimeOffset.MinValue);
        log.Append(Messages(3)); // after the call, before the enumeration
        using var rows = export.GetEnumerator();
        Assert.True(rows.MoveNext());
        log.Append(Messages(2)); // the read transaction began at the first row
        var seen = new List<long> { rows.Current.Seq };
        while (rows.MoveNext()) seen.Add(rows.Current.Seq);
        Assert.Equal(Range(1, 3), seen.ToArray());
    }

    [Fact]
    public void Prune_by_count_keeps_the_newest_in_chunks()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        var total = SqliteRoomLog.PruneChunk * 2 + 500;
        log.Append(Messages(total));
        Assert.Equal(total - 100, log.Prune(100, TimeSpan.Zero, T0));
        Assert.Equal(Range(total - 99, total), Seqs(log.Export(0, DateTimeOffset.MinValue)));
        Assert.Equal(0, log.Prune(100, TimeSpan.Zero, T0));
        Assert.Equal(total, log.Recover(0).LastSeq);
    }

    [Fact]
    public void Prune_by_age_deletes_entries_older_than_the_limit()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        log.Append(Messages(SqliteRoomLog.PruneChunk + 10)); // one a second from T0
        var now = T0.AddSeconds(SqliteRoomLog.PruneChunk + 100);
        // Older than 100 s: everything before T0 + 2000 s, that is seqs 1..2000.
        Assert.Equal(SqliteRoomLog.PruneChunk, log.Prune(0, TimeSpan.FromSeconds(100), now));
        Assert.Equal(Range(SqliteRoomLog.PruneChunk + 1, SqliteRoomLog.PruneChunk + 10), Seqs(log.Export(0, DateTimeOffset.MinValue)));
    }

    [Fact]
    public void Prune_with_both_limits_deletes_what_either_allows_and_with_none_deletes_nothing()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        log.Append(Messages(50));
        Assert.Equal(0, log.Prune(0, TimeSpan.Zero, T0.AddYears(1)));
        Assert.Equal(10, log.Prune(40, TimeSpan.FromSeconds(1000), T0.AddSeconds(50))); // nothing is that old: the count decides
        Assert.Equal(20, log.Prune(40, TimeSpan.FromSeconds(20), T0.AddSeconds(50))); // older than 20 s: seqs 11..30
        Assert.Equal(Range(31, 50), Seqs(log.Export(0, DateTimeOffset.MinValue)));
    }

    [Fact]
    public void Prune_keeps_who_is_present()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        log.Append([Came("alice"), .. Messages(10)]);
        log.Prune(1, TimeSpan.Zero, T0);
        Assert.Equal(["alice"], log.Recover(0).Present.ToArray());
    }

    [Fact]
    public void Appending_at_a_full_disk_throws_commits_nothing_and_works_again_when_there_is_room()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        log.Append([Came("alice")]);
        log.LimitPages(log.PageCount);
        var big = Enumerable.Range(0, 200).Select(i => Came($"user{i}")).Append(Said("alice", new string('x', 4000))).ToArray();
        var full = Assert.Throws<SqliteException>(() => log.Append(big));
        Assert.Equal(13, full.SqliteErrorCode); // SQLITE_FULL
        Assert.Equal(1, log.Recover(10).LastSeq);
        Assert.Equal([1L], Seqs(log.Recover(10).Recent));
        Assert.Equal(["alice"], log.Recover(0).Present.ToArray());

        log.LimitPages(1_000_000);
        Assert.Equal(Range(2, 202), Seqs(log.Append(big)));
        Assert.Equal(202, log.Recover(0).LastSeq);
    }

    [Fact]
    public void Appending_nothing_commits_nothing()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        Assert.Empty(log.Append([]));
        Assert.Equal(0, log.Recover(0).LastSeq);
    }

    [Fact]
    public void A_new_log_recovers_empty()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        var recovery = log.Recover(50);
        Assert.Equal(0, recovery.LastSeq);
        Assert.Empty(recovery.Recent);
        Assert.Empty(recovery.Present);
    }
}
