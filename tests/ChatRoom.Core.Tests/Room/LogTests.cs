using ChatRoom.Core.Auth;
using ChatRoom.Core.Log;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

/// <summary>The room on its log: nothing is delivered before the log commits it, and the seq is the log's.</summary>
public class LogTests
{
    private static string Time(DateTimeOffset at) => ProtocolVersion.FormatTime(at);

    [Fact]
    public void A_message_is_delivered_only_when_the_log_commits_it_with_the_logs_seq()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob");
        room.Holding = true;
        room.Line(1, "SAY hi");
        Assert.Equal([new RoomEvent.Message("alice", "hi")], room.Appended);
        Assert.Empty(room.Lines(2));
        Assert.Equal(1, room.State.Uncommitted);

        room.Commit();
        Assert.Equal(["MESSAGE 3 alice hi"], room.Lines(2));
        Assert.Equal([$"MESSAGE 3 {Time(T0)} alice hi"], room.Lines(2, 2));
        Assert.Equal(0, room.State.Uncommitted);
        Assert.Equal(3, room.State.Seq);
    }

    [Fact]
    public void A_newcomer_enters_when_its_joined_is_committed()
    {
        var room = Given().LoggedIn(1, "alice");
        room.Holding = true;
        room.Open(2).Line(2, "LOGIN bob pw").Verdict(2, "bob", AuthVerdict.Accepted);
        Assert.Equal([new RoomEvent.Joined("bob")], room.Appended);
        Assert.Empty(room.Lines(2));
        Assert.Equal(Phase.CheckingPassword, room.State.PhaseOf(new(2)));
        room.Open(3).Line(3, "LOGIN BOB pw");
        Assert.Equal(["ERROR 409 nickname already online: BOB"], room.Lines(3)); // the nickname is taken already

        room.Commit();
        Assert.Equal(["WELCOME bob", "USERS alice bob"], room.Lines(2));
        Assert.Equal(["JOINED 2 bob"], room.Lines(1));
        Assert.Equal(Phase.InRoom, room.State.PhaseOf(new(2)));
    }

    [Fact]
    public void Protocol_2_is_asked_for_before_login_and_brings_end_markers_and_history()
    {
        var room = Given().LoggedIn(1, "alice").Line(1, "SAY one").Line(1, "SAY two").Open(2).Line(2, "PROTOCOL 2");
        Assert.Equal(["PROTOCOL 2"], room.Lines(2));
        Assert.Contains(new Effect.UseProtocol(new(2), 2), room.Effects);

        room.After(TimeSpan.FromSeconds(5)).Line(2, "LOGIN bob pw").Verdict(2, "bob", AuthVerdict.Accepted);
        Assert.Equal(
        [
            "WELCOME bob", "USERS alice bob", "END USERS 2",
            $"HISTORY JOINED 1 {Time(T0)} alice",
            $"HISTORY MESSAGE 2 {Time(T0)} alice one",
            $"HISTORY MESSAGE 3 {Time(T0)} alice two",
            $"HISTORY JOINED 4 {Time(room.Now)} bob",
            "END HISTORY 4",
        ], room.Lines(2, 2));
        room.Line(2, "WHO");
        Assert.Equal(["USERS alice bob", "END USERS 2"], room.Lines(2, 2));
    }

    [Fact]
    public void A_protocol_1_newcomer_gets_no_history_and_no_end_markers() =>
        Assert.Equal(["WELCOME bob", "USERS alice bob"],
            Given().LoggedIn(1, "alice").Line(1, "SAY one").LoggedIn(2, "bob").Lines(2));

    [Fact]
    public void The_history_on_join_is_the_newest_events_up_to_the_setting()
    {
        var room = Given(RoomSettings.Default with { HistoryOnJoin = 2 }).LoggedIn(1, "alice");
        for (var i = 0; i < 5; i++) room.Line(1, $"SAY m{i}");
        room.Open(2).Line(2, "PROTOCOL 2").Line(2, "LOGIN bob pw").Verdict(2, "bob", AuthVerdict.Accepted);
        Assert.Equal([$"HISTORY MESSAGE 6 {Time(T0)} alice m4", $"HISTORY JOINED 7 {Time(T0)} bob", "END HISTORY 2"],
            room.Lines(2, 2).Skip(3).ToList());
    }

    [Fact]
    public void History_on_join_can_be_turned_off()
    {
        var room = Given(RoomSettings.Default with { HistoryOnJoin = 0 }).LoggedIn(1, "alice").Line(1, "SAY one");
        room.Open(2).Line(2, "PROTOCOL 2").Line(2, "LOGIN bob pw").Verdict(2, "bob", AuthVerdict.Accepted);
        Assert.Equal(["WELCOME bob", "USERS alice bob", "END USERS 2"], room.Lines(2, 2));
    }

    [Fact]
    public void History_before_pages_through_the_log_one_read_at_a_time_and_capped()
    {
        var room = Given(RoomSettings.Default with { MaxHistoryPage = 30, RateLimitEnabled = false }).LoggedIn(1, "alice");
        for (var i = 0; i < 9; i++) room.Line(1, $"SAY m{i}");
        room.Line(1, "HISTORY BEFORE 99 500"); // past the last seq (10): from what the room has applied, capped
        Assert.Contains(new Effect.ReadHistory(new(1), 11, 30), room.Effects);
        room.Line(1, "HISTORY BEFORE 99 5");
        Assert.Equal(["ERROR 503 history already being read, retry in 2 s"], room.Lines(1));

        var entries = Seq(new LogEntry(7, T0, new RoomEvent.Message("bob", "old"), default), new LogEntry(8, T0, new RoomEvent.Left("bob", "quit"), default));
        room.Apply(new Input.HistoryRead(new(1), entries, room.Now));
        Assert.Equal([$"HISTORY MESSAGE 7 {Time(T0)} bob old", $"HISTORY LEFT 8 {Time(T0)} bob quit", "END HISTORY 2"], room.Lines(1));
        room.Line(1, "HISTORY BEFORE 7 5");
        Assert.Contains(new Effect.ReadHistory(new(1), 7, 5), room.Effects);
    }

    [Fact]
    public void History_costs_by_the_count_asked_for()
    {
        var room = Given(RoomSettings.Default with { RateBurst = 20, HistoryEventsPerToken = 10 }).LoggedIn(1, "alice");
        room.Line(1, "HISTORY BEFORE 99 100"); // 1 + 10 tokens
        room.Apply(new Input.HistoryRead(new(1), default, room.Now));
        room.Line(1, "HISTORY BEFORE 99 100"); // 11 more: past the burst of 20
        Assert.StartsWith("ERROR 429", room.Lines(1).Single());
    }

    [Theory]
    [InlineData("PROTOCOL 2", "ERROR 403 protocol cannot be changed after LOGIN")]
    [InlineData("HISTORY BEFORE 10 5", "ERROR 401 log in first")]
    public void Protocol_and_history_follow_the_state_table(string line, string error)
    {
        var room = line.StartsWith("PROTOCOL") ? Given().LoggedIn(1, "alice") : Given().Open(1);
        Assert.Equal([error], room.Line(1, line).Lines(1));
    }

    [Fact]
    public void Protocol_asks_for_at_most_the_highest_this_server_speaks() =>
        Assert.Equal(["PROTOCOL 3"], Given().Open(1).Line(1, "PROTOCOL 7").Lines(1));

    [Fact]
    public void While_the_log_cannot_commit_say_is_refused_and_nothing_is_lost()
    {
        var room = Given().LoggedIn(1, "alice");
        room.Holding = true;
        room.Line(1, "SAY before").Apply(new Input.LogFailed("disk full", room.Now));
        Assert.Equal(Some("disk full"), room.State.LogDown);
        room.Line(1, "SAY during");
        Assert.Equal(["ERROR 503 the room log is unavailable: message not sent, try again later"], room.Lines(1));
        Assert.Single(room.Held);

        room.Commit(); // the writer's retry works: what waited is delivered, and SAY works again
        Assert.Equal(["MESSAGE 2 alice before"], room.Lines(1));
        Assert.True(room.State.LogDown.IsNone);
        room.Holding = false;
        Assert.Equal(["MESSAGE 3 alice after"], room.Line(1, "SAY after").Lines(1));
    }

    [Fact]
    public void A_log_that_falls_behind_slows_the_room_rather_than_filling_memory()
    {
        var room = Given(RoomSettings.Default with { MaxUncommitted = 2 }).LoggedIn(1, "alice");
        room.Holding = true;
        room.Line(1, "SAY one").Line(1, "SAY two").Line(1, "SAY three");
        Assert.Equal(["ERROR 503 the room log is behind, retry in 2 s"], room.Lines(1));
        Assert.Equal(2, room.Held.Count);
    }

    [Fact]
    public void After_a_restart_the_seq_goes_on_and_who_the_log_left_in_the_room_leaves()
    {
        var recent = Seq(new LogEntry(99, T0.AddHours(-1), new RoomEvent.Joined("carol"), default),
            new LogEntry(100, T0.AddHours(-1), new RoomEvent.Message("carol", "last words"), default));
        var room = Given().Apply(new Input.Recovered(new Recovery(100, recent, Seq1("carol")), T0));
        Assert.Equal([new RoomEvent.Left("carol", ChatRoom.Core.Room.Room.ServerRestarted)], room.Appended);
        Assert.Empty(room.State.Roster);
        Assert.Equal(101, room.State.Seq);

        room.Open(1).Line(1, "PROTOCOL 2").Line(1, "LOGIN alice pw").Verdict(1, "alice", AuthVerdict.Accepted);
        Assert.Equal(
        [
            "WELCOME alice", "USERS alice", "END USERS 1",
            $"HISTORY JOINED 99 {Time(T0.AddHours(-1))} carol",
            $"HISTORY MESSAGE 100 {Time(T0.AddHours(-1))} carol last words",
            $"HISTORY LEFT 101 {Time(T0)} carol server restarted",
            $"HISTORY JOINED 102 {Time(T0)} alice",
            "END HISTORY 4",
        ], room.Lines(1, 2));
    }

    [Fact]
    public void A_newcomer_gone_before_its_joined_commits_joins_and_leaves_in_the_log()
    {
        var room = Given().LoggedIn(1, "alice");
        room.Holding = true;
        room.Open(2).Line(2, "LOGIN bob pw").Verdict(2, "bob", AuthVerdict.Accepted).Close(2);
        Assert.Equal([new RoomEvent.Joined("bob"), new RoomEvent.Left("bob", "connection reset")], room.Held.Select(d => d.Event).ToList());
        room.Commit();
        Assert.Equal(["JOINED 2 bob", "LEFT 3 bob connection reset"], room.Lines(1));
        Assert.Equal(["alice"], room.State.Roster.Values.ToArray());
    }

    [Fact]
    public void A_committed_joined_admits_only_the_session_that_asked_for_it()
    {
        var room = Given().LoggedIn(1, "alice");
        room.Holding = true;
        room.Open(2).Line(2, "LOGIN bob pw").Verdict(2, "bob", AuthVerdict.Accepted).Close(2)
            .Open(3).Line(3, "LOGIN bob pw").Verdict(3, "bob", AuthVerdict.Accepted);
        Assert.Equal(3, room.Held.Count); // JOINED bob (2), LEFT bob (2), JOINED bob (3)
        room.Commit();
        Assert.Equal(["WELCOME bob", "USERS alice bob"], room.Lines(3));
        Assert.Equal(["JOINED 2 bob", "LEFT 3 bob connection reset", "JOINED 4 bob"], room.Lines(1));
        Assert.Equal(["alice", "bob"], room.State.Roster.Values.ToArray());
    }

    [Fact]
    public void A_member_that_quits_gets_what_it_said_before_and_then_bye()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob");
        room.Holding = true;
        room.Line(1, "SAY last words").Line(1, "QUIT gone");
        Assert.Empty(room.Lines(1));
        room.Line(1, "SAY after quit"); // ignored: it is on its way out
        Assert.Equal(2, room.Held.Count);
        room.Open(3).Line(3, "LOGIN alice pw").Verdict(3, "alice", AuthVerdict.Accepted); // the nickname is free already
        room.Commit();
        Assert.Equal(["MESSAGE 3 alice last words", "BYE quit"], room.Lines(1));
        Assert.True(room.Closed(1));
        Assert.Equal(["MESSAGE 3 alice last words", "LEFT 4 alice gone", "JOINED 5 alice"], room.Lines(2));
        Assert.Equal(["WELCOME alice", "USERS bob alice"], room.Lines(3));
    }

    [Fact]
    public void Nobody_can_whisper_to_a_login_whose_joined_is_not_committed()
    {
        var room = Given().LoggedIn(1, "alice");
        room.Holding = true;
        room.Open(2).Line(2, "LOGIN bob pw").Verdict(2, "bob", AuthVerdict.Accepted).Line(1, "WHISPER bob psst");
        Assert.Equal(["ERROR 404 no such user: bob"], room.Lines(1));
        Assert.Empty(room.Lines(2));
    }

    [Fact]
    public void A_login_while_the_log_cannot_write_is_told_to_retry_and_appends_nothing()
    {
        var room = Given().LoggedIn(1, "alice");
        room.Holding = true;
        room.Apply(new Input.LogFailed("disk full", room.Now));
        room.Open(2).Line(2, "LOGIN bob pw").Verdict(2, "bob", AuthVerdict.Accepted);
        Assert.Equal(["ERROR 503 the room log is unavailable, retry in 2 s"], room.Lines(2));
        Assert.Empty(room.Held);
        Assert.Equal(Phase.AwaitingLogin, room.State.PhaseOf(new(2)));
        Assert.True(room.State.Nicks.Find("bob").IsNone);
    }

    [Fact]
    public void Those_a_killed_server_left_in_the_room_leave_with_the_roster_size_right()
    {
        var room = Given();
        room.Holding = true;
        room.Apply(new Input.Recovered(new Recovery(10, default, Seq("carol", "dave")), T0));
        Assert.Equal(1 + 5 + 1 + 4, room.State.RosterBytes); // until their LEFT commits, they are listed
        room.Commit();
        Assert.Equal(0, room.State.RosterBytes);
        room.Holding = false;
        room.LoggedIn(1, "alice");
        Assert.Equal(["alice"], room.State.Roster.Values.ToArray());
        Assert.Equal(1 + 5, room.State.RosterBytes);
    }

    [Fact]
    public void Shutdown_writes_every_members_leaving_to_the_log()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob");
        room.Holding = true;
        room.Apply(new Input.Shutdown(room.Now));
        Assert.Equal([new RoomEvent.Left("alice", "server shutting down"), new RoomEvent.Left("bob", "server shutting down")], room.Appended);
        room.Commit();
        Assert.Empty(room.State.Roster);
        Assert.Equal(4, room.State.Seq);
    }

    [Fact]
    public void Events_carry_the_time_of_the_input_that_caused_them()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob").After(TimeSpan.FromMinutes(3)).Line(2, "QUIT bye");
        Assert.Equal([$"LEFT 3 {Time(T0.AddMinutes(3))} bob bye"], room.Lines(1, 2));
    }
}
