using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

public class RoomTests
{
    [Fact]
    public void Hello_is_the_first_line_on_every_connection() =>
        Assert.Equal([Hello], Given().Open(1).Lines(1));

    [Theory]
    [InlineData("SAY hi")]
    [InlineData("WHO")]
    [InlineData("WHISPER bob hi")]
    public void Room_commands_before_login_are_refused_with_log_in_first(string line) =>
        Assert.Equal(["ERROR 401 log in first"], Given().Open(1).Line(1, line).Lines(1));

    [Theory]
    [InlineData("LOGIN")]
    [InlineData("LOGIN alice")]
    [InlineData("LOGIN alice ")]
    public void Login_without_nickname_or_password_is_refused_with_log_in_first(string line)
    {
        var room = Given().Open(1).Line(1, line);
        Assert.Equal(["ERROR 401 log in first: nickname and password are required"], room.Lines(1));
        Assert.Equal(Phase.AwaitingLogin, room.State.PhaseOf(new(1)));
    }

    [Fact]
    public void Login_hands_the_password_to_the_shell_and_admits_on_an_accepted_verdict()
    {
        var room = Given().Open(1).Line(1, "LOGIN 北落 secret words");
        Assert.Equal([new Effect.CheckPassword(new(1), "北落", "secret words")], room.Effects.ToList());
        Assert.Equal(Phase.CheckingPassword, room.State.PhaseOf(new(1)));

        room.Verdict(1, "北落", AuthVerdict.Accepted);
        Assert.Equal(["WELCOME 北落", "USERS 北落"], room.Lines(1));
        Assert.Equal(Phase.InRoom, room.State.PhaseOf(new(1)));
    }

    [Fact]
    public void Joined_goes_to_the_others_when_someone_logs_in()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob");
        Assert.Equal(["JOINED 2 bob"], room.Lines(1));
        Assert.Equal("WELCOME bob", room.Lines(2)[0]);
        Assert.Contains("USERS", room.Lines(2)[1]);
        Assert.Equal(["alice", "bob"], ((ServerEvent.Users)room.To(2)[1]).Nicks.Order().ToArray());
    }

    [Theory]
    [InlineData(AuthVerdict.WrongPassword)]
    [InlineData(AuthVerdict.UnknownUser)]
    public void A_refused_password_is_denied_the_same_way_and_the_connection_closed(AuthVerdict verdict)
    {
        var room = Given().LoggedIn(1, "alice").Open(2).Line(2, "LOGIN mallory guess").Verdict(2, "mallory", verdict);
        Assert.Equal(["DENIED invalid nickname or password"], room.Lines(2));
        Assert.True(room.Closed(2));
        Assert.Empty(room.Lines(1)); // nobody else hears of it
        Assert.Equal(Phase.Closed, room.State.PhaseOf(new(2)));
    }

    [Fact]
    public void Second_login_on_same_connection_is_refused()
    {
        var room = Given().LoggedIn(1, "alice").Line(1, "LOGIN bob pw");
        Assert.Equal(["ERROR 403 identity cannot be changed after joining"], room.Lines(1));
        Assert.DoesNotContain(room.Effects, e => e is Effect.CheckPassword);
    }

    [Fact]
    public void Login_while_the_password_is_being_checked_is_refused() =>
        Assert.Equal(["ERROR 403 login already in progress"],
            Given().Open(1).Line(1, "LOGIN alice pw").Line(1, "LOGIN bob pw").Lines(1));

    [Theory]
    [InlineData("alice")]
    [InlineData("ALICE")]
    [InlineData("Ａｌｉｃｅ")]
    public void A_nickname_already_online_is_refused_and_the_connection_may_try_another(string nick)
    {
        var room = Given().LoggedIn(1, "alice").Open(2).Line(2, $"LOGIN {nick} pw");
        Assert.Equal([$"ERROR 409 nickname already online: {nick}"], room.Lines(2));
        Assert.Equal(Phase.AwaitingLogin, room.State.PhaseOf(new(2)));
        room.Line(2, "LOGIN bob pw").Verdict(2, "bob", AuthVerdict.Accepted);
        Assert.Equal("WELCOME bob", room.Lines(2)[0]);
    }

    [Fact]
    public void A_nickname_taken_while_the_password_was_checked_is_refused()
    {
        var room = Given().Open(1).Open(2).Line(1, "LOGIN alice pw").Line(2, "LOGIN Alice pw")
            .Verdict(1, "alice", AuthVerdict.Accepted).Verdict(2, "Alice", AuthVerdict.Accepted);
        Assert.Equal(["ERROR 409 nickname already online: Alice"], room.Lines(2));
        Assert.Single(room.State.Members);
    }

    [Fact]
    public void Message_goes_to_every_member_including_the_sender_in_one_broadcast()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob").LoggedIn(3, "carol").Open(4).Line(1, "SAY hi all");
        var broadcast = Assert.Single(room.Effects.OfType<Effect.Broadcast>());
        Assert.Equal(new ServerEvent.Message(4, "alice", "hi all") { At = room.Now }, broadcast.Event);
        Assert.Equal([1L, 2L, 3L], broadcast.To.Select(c => c.Value).Order().ToArray());
        Assert.Empty(room.Lines(4)); // connected but not logged in: no room traffic
        room.Line(3, "SAY 你好");
        Assert.Equal(["MESSAGE 5 carol 你好"], room.Lines(1));
    }

    [Fact]
    public void Presence_may_wait_for_the_next_write_but_messages_and_goodbyes_may_not()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob");
        Assert.True(Assert.Single(room.Effects.OfType<Effect.Broadcast>()).CanWait); // JOINED 2 bob, to alice
        room.Line(1, "SAY hi");
        Assert.False(Assert.Single(room.Effects.OfType<Effect.Broadcast>()).CanWait);
        room.Line(2, "QUIT");
        var left = Assert.Single(room.Effects.OfType<Effect.Broadcast>());
        Assert.IsType<ServerEvent.Left>(left.Event);
        Assert.True(left.CanWait);
        room.Apply(new Input.Shutdown(room.Now));
        Assert.False(Assert.Single(room.Effects.OfType<Effect.Broadcast>()).CanWait); // BYE server shutting down
    }

    [Fact]
    public void Whisper_reaches_only_its_target_and_comes_back_to_the_sender()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob").LoggedIn(3, "carol").Line(1, "WHISPER BOB psst");
        Assert.Equal(["WHISPER alice bob psst"], room.Lines(2));
        Assert.Equal(["WHISPER alice bob psst"], room.Lines(1));
        Assert.Empty(room.Lines(3));
    }

    [Fact]
    public void Whisper_to_an_unknown_nick_gives_404() =>
        Assert.Equal(["ERROR 404 no such user: nobody"],
            Given().LoggedIn(1, "alice").Line(1, "WHISPER nobody hello").Lines(1));

    [Fact]
    public void Who_lists_everyone_online() =>
        Assert.Equal(["alice", "bob"],
            ((ServerEvent.Users)Given().LoggedIn(1, "alice").LoggedIn(2, "bob").Line(1, "WHO").To(1)[0]).Nicks.Order().ToArray());

    [Fact]
    public void A_long_user_list_is_split_so_no_line_passes_the_limit()
    {
        var room = Given(RoomSettings.Default with { MaxConnectionsPerAddress = 1000 });
        for (var i = 1; i <= 300; i++) room.LoggedIn(i, $"user{i:D3}-{new string('x', 20)}");
        room.Line(1, "WHO");
        var lines = room.Lines(1);
        Assert.True(lines.Count > 1);
        Assert.All(lines, l => Assert.True(LineFramer.ToWire(l).Length <= 4096));
        Assert.Equal(300, room.To(1).Cast<ServerEvent.Users>().Sum(u => u.Nicks.Count));
    }

    [Fact]
    public void Left_goes_to_the_others_when_a_member_connection_closes()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob").Close(2, "connection reset");
        Assert.Equal(["LEFT 3 bob connection reset"], room.Lines(1));
        Assert.False(room.State.Nicks.ContainsKey("bob"));
    }

    [Fact]
    public void Quit_says_bye_closes_and_tells_the_room_the_reason()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob").Line(2, "QUIT gone to lunch");
        Assert.Equal(["BYE quit"], room.Lines(2));
        Assert.True(room.Closed(2));
        Assert.Equal(["LEFT 3 bob gone to lunch"], room.Lines(1));
        Assert.Empty(room.Close(2).Effects); // the shell's later report of the close changes nothing
    }

    [Fact]
    public void A_decode_error_is_answered_with_its_code_and_the_connection_stays()
    {
        var room = Given().LoggedIn(1, "alice").Line(1, "DANCE");
        Assert.Equal(["ERROR 400 unknown command DANCE"], room.Lines(1));
        Assert.False(room.Closed(1));
        room.Apply(new Input.Received(new(1), ProtocolErrors.LineTooLong(4096), room.Now));
        Assert.Equal(["ERROR 413 line too long (limit 4096 bytes)"], room.Lines(1));
    }

    [Fact]
    public void Ping_is_answered_with_pong_in_any_state()
    {
        Assert.Equal(["PONG 7"], Given().Open(1).Line(1, "PING 7").Lines(1));
        Assert.Equal(["PONG"], Given().LoggedIn(1, "alice").Line(1, "PING").Lines(1));
    }

    [Fact]
    public void No_login_within_the_timeout_gets_bye_login_timeout()
    {
        var room = Given().Open(1).After(TimeSpan.FromSeconds(29)).Tick();
        Assert.Empty(room.Effects);
        room.After(TimeSpan.FromSeconds(1)).Tick();
        Assert.Equal(["BYE login timeout"], room.Lines(1));
        Assert.True(room.Closed(1));
    }

    [Fact]
    public void A_silent_connection_is_pinged_then_dropped_if_it_stays_silent()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob").After(TimeSpan.FromSeconds(60)).Tick();
        Assert.Equal(["PING keepalive"], room.Lines(1));
        room.Line(2, "PONG keepalive").After(TimeSpan.FromSeconds(59)).Tick();
        Assert.Empty(room.Effects);
        room.After(TimeSpan.FromSeconds(1)).Tick();
        Assert.Equal(["BYE ping timeout"], room.Lines(1));
        Assert.Equal(["PING keepalive", "LEFT 3 alice ping timeout"], room.Lines(2)); // bob has been silent 60 s too
    }

    [Fact]
    public void Flooding_past_the_burst_is_answered_429_never_silently_dropped()
    {
        var room = Given().LoggedIn(1, "alice");
        var answers = Enumerable.Range(0, 25).Select(i => room.Line(1, $"SAY {i}").Lines(1).Single()).ToList();
        Assert.Equal(20, answers.Count(a => a.StartsWith("MESSAGE")));
        Assert.Equal(5, answers.Count(a => a.StartsWith("ERROR 429")));
        room.After(TimeSpan.FromSeconds(1)).Line(1, "SAY later");
        Assert.StartsWith("MESSAGE", room.Lines(1).Single());
    }

    [Fact]
    public void The_rate_limit_can_be_turned_off()
    {
        var room = Given(RoomSettings.Default with { RateLimitEnabled = false }).LoggedIn(1, "alice");
        Assert.All(Enumerable.Range(0, 100), i => Assert.StartsWith("MESSAGE", room.Line(1, $"SAY {i}").Lines(1).Single()));
    }

    [Fact]
    public void Five_refused_logins_from_one_address_start_a_cooldown()
    {
        var room = Given();
        for (var i = 1; i <= 5; i++) room.Open(i).Line(i, "LOGIN alice guess").Verdict(i, "alice", AuthVerdict.WrongPassword);
        room.Open(6).Line(6, "LOGIN alice right");
        Assert.Equal(["DENIED too many attempts"], room.Lines(6));
        Assert.DoesNotContain(room.Effects, e => e is Effect.CheckPassword);

        room.Open(7, "10.9.9.9").Line(7, "LOGIN bob pw"); // other addresses are unaffected
        Assert.Contains(room.Effects, e => e is Effect.CheckPassword);

        room.After(TimeSpan.FromMinutes(5)).Open(8).Line(8, "LOGIN alice right");
        Assert.Contains(room.Effects, e => e is Effect.CheckPassword);
    }

    [Fact]
    public void Refused_logins_spread_beyond_the_window_do_not_start_a_cooldown()
    {
        var room = Given();
        for (var i = 1; i <= 6; i++)
            room.After(TimeSpan.FromSeconds(15)).Open(i).Line(i, "LOGIN alice guess").Verdict(i, "alice", AuthVerdict.WrongPassword);
        room.Open(9).Line(9, "LOGIN alice pw");
        Assert.Contains(room.Effects, e => e is Effect.CheckPassword);
    }

    [Fact]
    public void Shutdown_says_bye_to_everyone_and_closes_every_connection()
    {
        var room = Given().LoggedIn(1, "alice").Open(2).Apply(new Input.Shutdown(T0));
        Assert.Equal(["BYE server shutting down"], room.Lines(1));
        Assert.Equal(["BYE server shutting down"], room.Lines(2));
        Assert.True(room.Closed(1) && room.Closed(2));
        Assert.True(room.State.Sessions.IsEmpty);
    }

    [Fact]
    public void Inputs_for_unknown_connections_change_nothing()
    {
        var room = Given().LoggedIn(1, "alice");
        var before = room.State;
        room.Line(9, "SAY hi").Verdict(9, "x", AuthVerdict.Accepted).Close(9);
        Assert.Empty(room.Effects);
        Assert.Equal(before, room.State);
    }

    [Fact]
    public void A_verdict_for_a_connection_that_went_away_is_ignored()
    {
        var room = Given().Open(1).Line(1, "LOGIN alice pw").Close(1).Verdict(1, "alice", AuthVerdict.Accepted);
        Assert.Empty(room.Effects);
        Assert.True(room.State.Nicks.IsEmpty);
    }

    [Fact]
    public void Log_entries_never_hold_the_password()
    {
        var room = Given().Open(1).Line(1, "LOGIN alice hunter2").Verdict(1, "alice", AuthVerdict.WrongPassword);
        Assert.All(room.Effects.OfType<Effect.Log>(), l => Assert.DoesNotContain("hunter2", string.Join(" ", l.Args)));
    }

    [Fact]
    public void The_room_shows_the_accounts_own_spelling_of_the_nickname()
    {
        var room = Given().Open(1).Line(1, "LOGIN ALICE pw").Verdict(1, "alice", AuthVerdict.Accepted);
        Assert.Equal(["WELCOME alice", "USERS alice"], room.Lines(1));
    }

    [Fact]
    public void A_long_quit_reason_is_cut_so_the_left_line_fits_the_limit()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob").Line(2, "QUIT " + new string('北', 1300));
        var left = Assert.IsType<ServerEvent.Left>(Assert.Single(room.To(1)));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(left.Reason) <= Syntax.MaxReasonBytes);
        Assert.StartsWith("北北", left.Reason);
    }

    [Fact]
    public void Address_records_are_forgotten_once_their_failures_age_out()
    {
        var room = Given().Open(1).Line(1, "LOGIN alice x").Verdict(1, "alice", AuthVerdict.WrongPassword);
        Assert.False(room.State.Addresses.IsEmpty);
        room.After(TimeSpan.FromMinutes(2)).Tick();
        Assert.True(room.State.Addresses.IsEmpty);
    }

    [Fact]
    public void A_member_who_keeps_talking_is_never_pinged()
    {
        var room = Given(RoomSettings.Default with { RateLimitEnabled = false }).LoggedIn(1, "alice");
        for (var i = 0; i < 150; i++)
        {
            room.After(TimeSpan.FromMilliseconds(900)).Line(1, $"SAY {i}").Tick();
            Assert.DoesNotContain("PING keepalive", room.Lines(1));
        }
        room.After(TimeSpan.FromSeconds(61)).Tick();
        Assert.Equal(["PING keepalive"], room.Lines(1));
    }
}
