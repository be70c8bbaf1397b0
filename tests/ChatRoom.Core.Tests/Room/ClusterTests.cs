using ChatRoom.Core.Auth;
using ChatRoom.Core.Log;
using ChatRoom.Core.Room;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

/// <summary>
/// Several hosts on one log: each applies the same committed entries in the same order, so they hold the same
/// room; what differs is only which connections are their own.
/// </summary>
public class ClusterTests
{
    private static (Scenario A, Scenario B, ClusterLog Log) TwoHosts(RoomSettings? settings = null) =>
        (GivenHost("a", settings), GivenHost("b", settings), new ClusterLog());

    private static Scenario Login(Scenario host, long id, string nick) =>
        host.Open(id).Line(id, $"LOGIN {nick} pw").Verdict(id, nick, AuthVerdict.Accepted);

    [Fact]
    public void Members_on_two_hosts_see_the_same_events_with_the_same_seqs()
    {
        var (a, b, log) = TwoHosts();
        Login(a, 1, "alice");
        log.Round(a, b);
        Login(b, 1, "bob");
        log.Publish(b);
        Assert.Equal(["JOINED 2 bob"], log.Deliver(a).Lines(1));
        Assert.Equal(["WELCOME bob", "USERS alice bob"], log.Deliver(b).Lines(1));

        a.Line(1, "SAY hi from a");
        b.Line(1, "SAY hi from b");
        log.Publish(b).Publish(a);
        Assert.Equal(["MESSAGE 3 bob hi from b", "MESSAGE 4 alice hi from a"], log.Deliver(a).Lines(1));
        Assert.Equal(["MESSAGE 3 bob hi from b", "MESSAGE 4 alice hi from a"], log.Deliver(b).Lines(1));
        Assert.Equal(a.State.Roster, b.State.Roster);
        Assert.Equal(0, a.State.Uncommitted);
        Assert.Equal(0, b.State.Uncommitted);
    }

    [Fact]
    public void Two_hosts_admitting_one_nickname_at_once_the_first_in_the_log_wins_everywhere()
    {
        var (a, b, log) = TwoHosts();
        Login(a, 1, "alice");
        Login(b, 7, "Alice");
        log.Publish(b).Publish(a); // b's JOINED is first
        Assert.Equal(["ERROR 409 nickname already online: alice"], log.Deliver(a).Lines(1));
        Assert.Equal(Phase.AwaitingLogin, a.State.PhaseOf(new(1)));
        Assert.Equal(["WELCOME Alice", "USERS Alice"], log.Deliver(b).Lines(7));
        Assert.Equal(["Alice"], a.State.Roster.Values.ToList());
        Assert.Equal("b", a.State.HostOf("alice"));

        // The loser may log in again under another name, and its late LEFT (had it gone) would end nothing.
        Login(a, 1, "carol");
        log.Round(a, b);
        Assert.Equal(["Alice", "carol"], b.State.Roster.Values.ToList());
    }

    [Fact]
    public void The_LEFT_of_a_login_that_lost_the_race_does_not_end_the_winners_membership()
    {
        var (a, b, log) = TwoHosts();
        Login(a, 1, "alice");
        Login(b, 7, "alice");
        b.Close(7); // gone before its JOINED committed: its LEFT follows it
        log.Publish(a).Publish(b);
        log.Deliver(a);
        log.Deliver(b);
        Assert.Equal(["alice"], a.State.Roster.Values.ToList());
        Assert.Equal(["alice"], b.State.Roster.Values.ToList());
        Assert.Equal(3, log.Entries.Count);
        Assert.Equal(["WELCOME alice", "USERS alice"], a.Lines(1)); // neither the losing JOINED nor its LEFT is shown
    }

    [Fact]
    public void A_nickname_held_on_another_host_is_refused_before_any_password_check()
    {
        var (a, b, log) = TwoHosts();
        Login(b, 7, "bob");
        log.Round(b, a);
        a.Open(1).Line(1, "LOGIN BOB pw");
        Assert.Equal(["ERROR 409 nickname already online: BOB"], a.Lines(1));
        Assert.Empty(a.Checked);
    }

    [Fact]
    public void A_nickname_that_looks_like_a_member_of_another_host_is_refused_until_that_member_leaves()
    {
        var (a, b, log) = TwoHosts();
        Login(b, 7, "alice");
        log.Round(b, a);
        a.Open(1).Line(1, "LOGIN aIice pw");
        Assert.Equal(["ERROR 423 nickname aIice looks like alice, who is online"], a.Lines(1));
        b.Close(7);
        log.Round(b, a);
        a.Line(1, "LOGIN aIice pw");
        Assert.Equal([1L], a.Checked);
    }

    [Fact]
    public void A_whisper_to_a_member_of_another_host_is_relayed_there()
    {
        var (a, b, log) = TwoHosts();
        Login(a, 1, "alice");
        Login(b, 7, "bob");
        log.Round(a, b);
        a.Line(1, "WHISPER BOB psst");
        var whisper = new ChatRoom.Core.Protocol.ServerEvent.Whisper("alice", "bob", "psst");
        Assert.Contains(new Effect.Relay("b", whisper), a.Effects);
        Assert.Equal(["WHISPER alice bob psst"], a.Lines(1));
        b.Apply(new Input.Relayed(whisper, b.Now));
        Assert.Equal(["WHISPER alice bob psst"], b.Lines(7));

        a.Line(1, "WHISPER nobody psst");
        Assert.Equal(["ERROR 404 no such user: nobody"], a.Lines(1));
    }

    [Fact]
    public void Who_lists_the_members_of_every_host()
    {
        var (a, b, log) = TwoHosts();
        Login(a, 1, "alice");
        Login(b, 7, "bob");
        log.Round(a, b);
        Assert.Equal(["USERS alice bob"], b.Line(7, "WHO").Lines(7));
    }

    [Fact]
    public void A_host_unheard_for_the_timeout_has_its_members_written_out_once_though_two_hosts_write_it()
    {
        var c = GivenHost("c");
        var (a, b, log) = TwoHosts();
        Login(a, 1, "alice");
        Login(b, 7, "bob");
        Login(b, 8, "bea");
        log.Round(a, b, c);
        foreach (var host in new[] { a, c }) host.Live(5).Seen("b").Tick();
        Assert.Empty(a.Appended);

        a.Live(10);
        c.Seen("a").Live(8).Seen("a").Live(2); // a still answers
        Assert.Equal([new RoomEvent.Left("bob", ChatRoom.Core.Room.Room.HostLost) { Host = "b", Connection = new(7) },
                new RoomEvent.Left("bea", ChatRoom.Core.Room.Room.HostLost) { Host = "b", Connection = new(8) }],
            a.Appended.OrderByDescending(e => ((RoomEvent.Left)e).Nick).ToList());
        a.Tick();
        Assert.Empty(a.Appended); // written once per host

        log.Publish(a).Publish(c); // both wrote them: the copies end nothing
        var left = log.Deliver(a).Lines(1);
        Assert.True(left.Count == 2, string.Join(" | ", left));
        Assert.All(left, l => Assert.StartsWith("LEFT ", l));
        Assert.Equal(["alice"], a.State.Roster.Values.ToList());
        Assert.Equal(a.State.Roster, log.Deliver(c).State.Roster);
        Assert.Equal(0, a.State.Uncommitted);
    }

    [Fact]
    public void A_host_that_does_not_hear_itself_judges_nobody_and_counts_silence_only_from_when_it_hears_itself_again()
    {
        var (a, b, log) = TwoHosts();
        Login(a, 1, "alice");
        Login(b, 7, "bob");
        log.Round(a, b);
        a.After(TimeSpan.FromSeconds(30)).Tick();
        Assert.Empty(a.Appended); // NATS away, or a cut off: its own heartbeat did not come back
        a.Live(9);
        Assert.Empty(a.Appended); // it hears itself again since 9 s only
        a.Live(3);
        Assert.Equal([new RoomEvent.Left("bob", ChatRoom.Core.Room.Room.HostLost) { Host = "b", Connection = new(7) }], a.Appended);
    }

    [Fact]
    public void A_host_heard_again_after_its_members_were_written_out_is_judged_afresh()
    {
        var (a, b, log) = TwoHosts();
        Login(b, 7, "bob");
        log.Round(b, a);
        a.Live(11); // b's bob is written out
        log.Round(a, b);
        Login(b, 9, "bob"); // b was alive after all: bob comes back through it
        log.Round(b, a);
        Assert.Equal(["bob"], a.State.Roster.Values.ToList());
        a.Live(4);
        Assert.Empty(a.Appended); // heard through its entries: no new judgement yet
        a.Live(8);
        Assert.Equal([new RoomEvent.Left("bob", ChatRoom.Core.Room.Room.HostLost) { Host = "b", Connection = new(9) }], a.Appended);
    }

    [Fact]
    public void A_second_copy_of_a_lost_hosts_LEFT_does_not_end_the_membership_taken_up_again_on_that_host()
    {
        var c = GivenHost("c");
        var (a, b, log) = TwoHosts();
        Login(b, 7, "bob");
        log.Round(b, a, c);
        a.Live(11);
        c.Live(11);
        log.Publish(a); // a's copy first
        foreach (var h in new[] { a, b, c }) log.Deliver(h);
        Login(b, 9, "bob"); // bob is back on b...
        log.Round(b, a, c);
        log.Round(c, a, b); // ...and c's late copy arrives
        Assert.All(new[] { a, b, c }, h => Assert.Equal(["bob"], h.State.Roster.Values.ToList()));
        Assert.Equal(Phase.InRoom, b.State.PhaseOf(new(9)));
    }

    [Fact]
    public void A_host_still_catching_up_with_the_log_judges_nobody()
    {
        var c = GivenHost("c");
        c.Apply(new Input.Recovered(Recovery.Empty with { CatchUpTo = 5 }, c.Now));
        c.Receive([new LogEntry(1, T0, new RoomEvent.Joined("old"), new ConnectionId(1)) { Host = "gone" }]);
        c.Live(20);
        Assert.Empty(c.Appended);
        c.Receive([.. Enumerable.Range(2, 4).Select(i => new LogEntry(i, T0, new RoomEvent.Message("old", "x"), new ConnectionId(1)) { Host = "gone" })]);
        c.Live(20);
        Assert.Equal([new RoomEvent.Left("old", ChatRoom.Core.Room.Room.HostLost) { Host = "gone", Connection = new(1) }], c.Appended);
    }

    [Fact]
    public void A_member_of_a_host_the_others_wrote_out_is_told_and_let_go()
    {
        var (a, b, log) = TwoHosts();
        Login(a, 1, "alice");
        Login(b, 7, "bob");
        log.Round(a, b);
        a.Live(11);
        log.Publish(a);
        log.Deliver(b);
        Assert.Equal(["BYE " + ChatRoom.Core.Room.Room.HostLost], b.Lines(7));
        Assert.True(b.Closed(7));
        Assert.Equal(["alice"], b.State.Roster.Values.ToList());
        Login(b, 9, "bob"); // the nickname is free again
        log.Round(b, a);
        Assert.Equal(["alice", "bob"], a.State.Roster.Values.ToList());
    }

    [Fact]
    public void A_late_LEFT_for_a_lost_host_does_not_end_a_membership_taken_up_again_elsewhere()
    {
        var (a, b, log) = TwoHosts();
        var c = GivenHost("c");
        Login(b, 7, "bob");
        log.Round(b, a, c);
        c.Live(11); // c writes bob out (b is lost)...
        var held = c.Held.ToList();
        c.Held.Clear();
        b.Close(7);
        log.Round(b, a); // ...but b's own LEFT is committed first
        Login(a, 1, "bob"); // bob logs in again on a
        log.Round(a, b);
        foreach (var d in held) c.Held.Add(d);
        log.Round(c, a, b); // the late LEFT arrives
        Assert.Equal(["bob"], a.State.Roster.Values.ToList());
        Assert.Equal(["bob"], b.State.Roster.Values.ToList());
        Assert.Equal(Phase.InRoom, a.State.PhaseOf(new(1)));
    }

    private static LogEntry Numbered(long seq, string host, long number, RoomEvent e, long origin = 0) =>
        new(seq, T0, e, new ConnectionId(origin)) { Host = host, Number = number };

    [Fact]
    public void A_copy_of_an_entry_stored_again_by_a_retry_is_applied_once_on_every_host()
    {
        var (a, b, log) = TwoHosts();
        Login(a, 1, "alice");
        Login(b, 7, "bob");
        log.Round(a, b);
        a.Line(1, "SAY once");
        var draft = Assert.Single(a.Held);
        Assert.Equal(2, draft.Number); // alice's JOINED was a's first
        log.Publish(a);
        var copy = log.Entries[^1] with { Seq = log.Entries.Count + 1 }; // as a retry after the duplicate window stores it
        Assert.Equal(["MESSAGE 3 alice once"], log.Deliver(b).Lines(7));
        Assert.Empty(b.Receive([copy]).Lines(7));
        Assert.Equal(["MESSAGE 3 alice once"], log.Deliver(a).Lines(1));
        Assert.Empty(a.Receive([copy]).Lines(1));
        Assert.Equal(0, a.State.Uncommitted);
        Assert.Equal(4, b.State.Seq); // the copy took its seq
        b.Line(7, "SAY after");
        log.Publish(b);
        Assert.Equal(["MESSAGE 5 bob after"], a.Receive([log.Entries[^1] with { Seq = 5 }]).Lines(1));
    }

    [Fact]
    public void An_entry_stored_ahead_of_an_earlier_one_of_its_host_waits_for_its_copy_in_turn()
    {
        var c = GivenHost("c");
        Login(c, 7, "carol");
        c.Receive([Numbered(1, "a", 1, new RoomEvent.Joined("alice"), 1), Numbered(2, "c", 1, new RoomEvent.Joined("carol"), 7)]);
        // a's retry stored its third entry before its second, and then both again, in turn.
        var third = Numbered(3, "a", 3, new RoomEvent.Message("alice", "second line"));
        var second = Numbered(4, "a", 2, new RoomEvent.Message("alice", "first line"));
        Assert.Empty(c.Receive([third]).Lines(7));
        Assert.Equal(["MESSAGE 4 alice first line"], c.Receive([second]).Lines(7));
        Assert.Empty(c.Receive([second with { Seq = 5 }]).Lines(7));
        Assert.Equal(["MESSAGE 6 alice second line"], c.Receive([third with { Seq = 6 }]).Lines(7));
        Assert.Equal(3, c.State.Numbers.Find("a").IfNone(0));
    }

    [Fact]
    public void A_host_started_from_a_snapshot_skips_the_copies_the_others_skipped()
    {
        var c = GivenHost("c");
        var snapshot = new Recovery(10, LanguageExt.Seq<LogEntry>.Empty, LanguageExt.Seq<string>.Empty)
        {
            Members = LanguageExt.Seq.create(new LogEntry(4, T0, new RoomEvent.Joined("alice"), new ConnectionId(1)) { Host = "a" }),
            Numbers = LanguageExt.HashMap.create<LanguageExt.ClassInstances.EqStringOrdinal, string, long>(("a", 6L)),
        };
        c.Apply(new Input.Recovered(snapshot, c.Now));
        Login(c, 7, "carol");
        c.Receive([Numbered(11, "c", 1, new RoomEvent.Joined("carol"), 7)]);
        Assert.Empty(c.Receive([Numbered(12, "a", 6, new RoomEvent.Message("alice", "a copy"))]).Lines(7));
        Assert.Equal(["MESSAGE 13 alice new"], c.Receive([Numbered(13, "a", 7, new RoomEvent.Message("alice", "new"))]).Lines(7));
    }

    [Fact]
    public void A_host_first_seen_after_a_snapshot_starts_at_one()
    {
        var c = GivenHost("c");
        Login(c, 7, "carol");
        c.Receive([Numbered(1, "c", 1, new RoomEvent.Joined("carol"), 7)]);
        Assert.Empty(c.Receive([Numbered(2, "a", 2, new RoomEvent.Joined("alice"), 1)]).Lines(7)); // its first is still to come
        Assert.Equal(["JOINED 3 alice"], c.Receive([Numbered(3, "a", 1, new RoomEvent.Joined("alice"), 1)]).Lines(7));
        // On a log trimmed without a snapshot, a host's first entry seen is taken at its number.
        var late = GivenHost("d");
        late.Apply(new Input.Recovered(Recovery.Empty with { Partial = true }, late.Now));
        Login(late, 8, "dan");
        late.Receive([Numbered(4, "d", 1, new RoomEvent.Joined("dan"), 8)]);
        Assert.Equal(["JOINED 5 ann"], late.Receive([Numbered(5, "a", 9, new RoomEvent.Joined("ann"), 2)]).Lines(8));
        Assert.Empty(late.Receive([Numbered(6, "a", 9, new RoomEvent.Joined("ann"), 2)]).Lines(8));
    }

    [Fact]
    public void A_host_started_from_a_snapshot_knows_who_is_in_the_room_and_goes_on_after_it()
    {
        var c = GivenHost("c");
        var snapshot = new Recovery(40, LanguageExt.Seq<LogEntry>.Empty, LanguageExt.Seq<string>.Empty)
        {
            Members = LanguageExt.Seq.create(new LogEntry(12, T0, new RoomEvent.Joined("alice"), default) { Host = "a" },
                new LogEntry(30, T0, new RoomEvent.Joined("bob"), default) { Host = "b" }),
        };
        c.Apply(new Input.Recovered(snapshot, c.Now));
        Assert.Empty(c.Appended); // they stay: their hosts are alive, as far as anyone knows
        Assert.Equal(["alice", "bob"], c.State.Roster.Values.ToList());
        Assert.Equal(40, c.State.Seq);
        c.Receive([new LogEntry(41, T0, new RoomEvent.Left("alice", "bye") { Host = "a" }, new ConnectionId(3)) { Host = "a" }]);
        Assert.Equal(["bob"], c.State.Roster.Values.ToList());
        c.Open(1).Line(1, "LOGIN bob pw");
        Assert.Equal(["ERROR 409 nickname already online: bob"], c.Lines(1));
    }

    [Fact]
    public void A_host_still_catching_up_lets_the_log_decide_a_nickname_its_roster_still_lists()
    {
        var c = GivenHost("c");
        var snapshot = new Recovery(10, LanguageExt.Seq<LogEntry>.Empty, LanguageExt.Seq<string>.Empty)
        {
            Members = LanguageExt.Seq.create(new LogEntry(4, T0, new RoomEvent.Joined("bob"), new ConnectionId(3)) { Host = "b" }),
            CatchUpTo = 11, // bob's LEFT, written by another host after b died, is at 11
        };
        c.Apply(new Input.Recovered(snapshot, c.Now));
        Login(c, 7, "bob");
        Assert.Empty(c.Lines(7)); // not 409: its JOINED goes to the log
        var joined = Assert.Single(c.Held);
        c.Held.Clear();
        c.Receive([
            new LogEntry(11, T0, new RoomEvent.Left("bob", ChatRoom.Core.Room.Room.HostLost) { Host = "b", Connection = new ConnectionId(3) }, default) { Host = "a", Number = 1 },
            new LogEntry(12, T0, joined.Event, joined.Origin) { Host = "c", Number = joined.Number },
        ]);
        Assert.Equal(["WELCOME bob", "USERS bob"], c.Lines(7));
        // Caught up, the roster decides again: a second bob elsewhere is refused at once.
        c.Receive([new LogEntry(13, T0, new RoomEvent.Joined("ann"), new ConnectionId(5)) { Host = "a", Number = 2 }]);
        c.Open(8).Line(8, "LOGIN ANN pw");
        Assert.Equal(["ERROR 409 nickname already online: ANN"], c.Lines(8));
    }

    [Fact]
    public void A_host_alone_has_no_hosts_to_judge()
    {
        var room = Given().LoggedIn(1, "alice");
        room.After(TimeSpan.FromMinutes(5)).Tick();
        Assert.Empty(room.Appended);
        Assert.True(room.State.RosterHosts.IsEmpty);
    }
}
