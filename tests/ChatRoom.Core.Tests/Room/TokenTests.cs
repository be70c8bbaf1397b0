using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

/// <summary>Resume tokens: the rules the room applies to TOKEN, RESUME and FORGET, and to the shell's answers.</summary>
public class TokenTests
{
    private static readonly Secret Good = new("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    private static readonly Secret Other = new("BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");

    private static Effect.IssueToken AskedToIssue(Scenario room) => Assert.Single(room.Effects.OfType<Effect.IssueToken>());

    [Fact]
    public void A_member_asking_TOKEN_gets_one_valid_for_the_lifetime_to_the_whole_second()
    {
        var room = Given().After(TimeSpan.FromMilliseconds(750)).LoggedIn(1, "alice").Line(1, "TOKEN");
        var issue = AskedToIssue(room);
        Assert.Equal("alice", issue.Nick);
        Assert.Equal(T0 + RoomSettings.Default.TokenLifetime, issue.Expires);
        Assert.True(issue.Replaces.IsNone);
        Assert.Empty(room.To(1));

        room.Issued(1, "alice", Some(Good), issue.Expires);
        Assert.Equal([new ServerEvent.TokenIssued(Good, issue.Expires)], room.To(1));
        Assert.Equal(Some(Good), room.State.Sessions.Find(new(1)).Bind(s => s.Token));
    }

    [Fact]
    public void TOKEN_before_login_is_refused_with_401()
    {
        var room = Given().Open(1).Line(1, "TOKEN");
        Assert.Equal(["ERROR 401 log in first"], room.Lines(1));
        Assert.Empty(room.Effects.OfType<Effect.IssueToken>());
    }

    [Fact]
    public void A_second_TOKEN_replaces_the_first_and_one_pending_TOKEN_is_not_doubled()
    {
        var room = Given().LoggedIn(1, "alice").Line(1, "TOKEN");
        var first = AskedToIssue(room);
        room.Line(1, "TOKEN");
        Assert.Empty(room.Effects.OfType<Effect.IssueToken>());
        room.Issued(1, "alice", Some(Good), first.Expires).Line(1, "TOKEN");
        Assert.Equal(Some(Good), AskedToIssue(room).Replaces);
    }

    [Fact]
    public void A_token_that_could_not_be_stored_is_answered_busy()
    {
        var room = Given().LoggedIn(1, "alice").Line(1, "TOKEN");
        room.Issued(1, "alice", None, AskedToIssue(room).Expires);
        Assert.Equal(["ERROR 503 cannot issue a token now, retry in 2 s"], room.Lines(1));
    }

    [Fact]
    public void A_token_issued_after_its_connection_left_is_revoked_at_once()
    {
        var room = Given().LoggedIn(1, "alice").Line(1, "TOKEN");
        var expires = AskedToIssue(room).Expires;
        room.Close(1).Issued(1, "alice", Some(Good), expires);
        Assert.Equal([new Effect.RevokeToken("alice", Good)], room.Effects.OfType<Effect.RevokeToken>());
    }

    [Fact]
    public void RESUME_with_a_good_token_joins_the_room_without_a_password_check()
    {
        var room = Given().LoggedIn(1, "bob").Open(2).Line(2, $"RESUME ALICE {Good.Value}");
        Assert.Equal([new Effect.CheckToken(new(2), "ALICE", Good)], room.Effects.OfType<Effect.CheckToken>());
        Assert.Empty(room.Checked);
        Assert.Equal(Phase.CheckingPassword, room.State.PhaseOf(new(2)));

        room.TokenFound(2, "alice", T0.AddDays(1));
        Assert.Equal(["WELCOME alice", "USERS bob alice"], room.Lines(2));
        Assert.Equal(["JOINED 2 alice"], room.Lines(1));
        Assert.Equal(Some(Good), room.State.Sessions.Find(new(2)).Bind(s => s.Token));
        Assert.True(room.State.Resumes.IsEmpty);
    }

    [Fact]
    public void RESUME_does_not_take_a_password_check_place_and_is_not_refused_busy()
    {
        var room = Given(RoomSettings.Default with { MaxChecksInFlight = 1 }).Open(1).Line(1, "LOGIN slow pw");
        room.Open(2, "10.0.0.2").Line(2, $"RESUME alice {Good.Value}");
        Assert.Single(room.Effects.OfType<Effect.CheckToken>());
        Assert.Equal(1, room.State.Checks.Count);
    }

    [Fact]
    public void RESUME_without_a_token_is_refused_with_401_and_checks_nothing()
    {
        var room = Given().Open(1).Line(1, "RESUME alice");
        Assert.Equal(["ERROR 401 log in first: nickname and token are required"], room.Lines(1));
        Assert.Empty(room.Effects.OfType<Effect.CheckToken>());
    }

    [Fact]
    public void An_unknown_token_is_denied_like_a_wrong_password()
    {
        var room = Given().Open(1).Line(1, $"RESUME alice {Good.Value}").TokenNotFound(1, "alice");
        Assert.Equal(["DENIED invalid nickname or password"], room.Lines(1));
        Assert.True(room.Closed(1));
    }

    [Fact]
    public void A_token_found_for_another_nickname_is_denied()
    {
        var room = Given().Open(1).Line(1, $"RESUME alice {Good.Value}").TokenFound(1, "mallory", T0.AddDays(1));
        Assert.Equal(["DENIED invalid nickname or password"], room.Lines(1));
    }

    [Fact]
    public void An_expired_token_is_denied_and_counts_as_a_failure()
    {
        var room = Given().Open(1).Line(1, $"RESUME alice {Good.Value}").TokenFound(1, "alice", T0);
        Assert.Equal(["DENIED invalid nickname or password"], room.Lines(1));
        Assert.Single(room.State.Addresses.Find("10.0.0.1").Map(a => a.Failures).IfNone(default(Seq<DateTimeOffset>)));
    }

    [Fact]
    public void Five_bad_tokens_start_the_cool_down_and_then_even_a_good_one_is_not_checked()
    {
        var room = Given();
        for (var i = 1; i <= 5; i++) room.Open(i).Line(i, $"RESUME alice {Other.Value}").TokenNotFound(i, "alice");
        room.Open(6).Line(6, $"RESUME alice {Good.Value}");
        Assert.Equal(["DENIED too many attempts"], room.Lines(6));
        Assert.Empty(room.Effects.OfType<Effect.CheckToken>());

        room.Open(7).Line(7, "LOGIN alice right");
        Assert.Equal(["DENIED too many attempts"], room.Lines(7));
    }

    [Fact]
    public void Bad_tokens_and_wrong_passwords_count_in_the_same_throttle()
    {
        var room = Given();
        for (var i = 1; i <= 2; i++) room.Open(i).Line(i, "LOGIN alice wrong").Verdict(i, "alice", ChatRoom.Core.Auth.AuthVerdict.WrongPassword);
        for (var i = 3; i <= 5; i++) room.Open(i).Line(i, $"RESUME alice {Other.Value}").TokenNotFound(i, "alice");
        room.Open(6).Line(6, $"RESUME alice {Good.Value}");
        Assert.Equal(["DENIED too many attempts"], room.Lines(6));
    }

    [Fact]
    public void A_bad_token_counts_even_when_its_connection_hung_up_first()
    {
        var room = Given();
        for (var i = 1; i <= 5; i++) room.Open(i).Line(i, $"RESUME alice {Other.Value}").Close(i).TokenNotFound(i, "alice");
        room.Open(6).Line(6, $"RESUME alice {Good.Value}");
        Assert.Equal(["DENIED too many attempts"], room.Lines(6));
        Assert.True(room.State.Resumes.IsEmpty);
    }

    [Fact]
    public void RESUME_for_a_nickname_online_is_refused_with_409_before_any_look_up()
    {
        var room = Given().LoggedIn(1, "alice").Open(2).Line(2, $"RESUME alice {Good.Value}");
        Assert.Equal(["ERROR 409 nickname already online: alice"], room.Lines(2));
        Assert.Empty(room.Effects.OfType<Effect.CheckToken>());
    }

    [Fact]
    public void Someone_who_logged_in_during_the_look_up_wins_and_the_resume_gets_409()
    {
        var room = Given().Open(1).Line(1, $"RESUME alice {Good.Value}").LoggedIn(2, "alice").TokenFound(1, "alice", T0.AddDays(1));
        Assert.Equal(["ERROR 409 nickname already online: alice"], room.Lines(1));
        Assert.Equal(Phase.AwaitingLogin, room.State.PhaseOf(new(1)));
    }

    [Fact]
    public void LOGIN_or_RESUME_during_a_resume_is_refused_with_403()
    {
        var room = Given().Open(1).Line(1, $"RESUME alice {Good.Value}").Line(1, $"RESUME alice {Good.Value}");
        Assert.Equal(["ERROR 403 login already in progress"], room.Lines(1));
        room.Line(1, "LOGIN alice pw");
        Assert.Equal(["ERROR 403 login already in progress"], room.Lines(1));
    }

    [Fact]
    public void FORGET_revokes_the_token_the_connection_resumed_with()
    {
        var room = Given().Open(1).Line(1, $"RESUME alice {Good.Value}").TokenFound(1, "alice", T0.AddDays(1)).Line(1, "FORGET");
        Assert.Equal([new Effect.RevokeToken("alice", Good)], room.Effects.OfType<Effect.RevokeToken>());
        Assert.Equal(["FORGOTTEN"], room.Lines(1));
        room.Line(1, "FORGET");
        Assert.Empty(room.Effects.OfType<Effect.RevokeToken>());
        Assert.Equal(["FORGOTTEN"], room.Lines(1));
    }

    [Fact]
    public void FORGET_revokes_a_token_issued_on_the_connection()
    {
        var room = Given().LoggedIn(1, "alice").Line(1, "TOKEN");
        room.Issued(1, "alice", Some(Good), AskedToIssue(room).Expires).Line(1, "FORGET");
        Assert.Equal([new Effect.RevokeToken("alice", Good)], room.Effects.OfType<Effect.RevokeToken>());
    }

    [Fact]
    public void A_token_is_bound_to_the_password_the_session_logged_in_under()
    {
        var room = Given().LoggedIn(1, "alice", stamp: "stamp-of-pw1").Line(1, "TOKEN");
        Assert.Equal("stamp-of-pw1", AskedToIssue(room).Stamp);
    }

    [Fact]
    public void A_session_that_registered_binds_its_tokens_to_the_new_accounts_password()
    {
        var room = Given(RoomSettings.Default with { OpenRegistration = true }).Open(1).Line(1, "LOGIN newbie pw1")
            .Verdict(1, "newbie", AuthVerdict.UnknownUser).Registration(1, "newbie", RegistrationResult.Created, "stamp-of-pw1")
            .Line(1, "TOKEN");
        Assert.Equal("stamp-of-pw1", AskedToIssue(room).Stamp);
    }

    [Fact]
    public void A_resumed_session_binds_its_new_tokens_to_the_password_its_token_descends_from()
    {
        var room = Given().Open(1).Line(1, $"RESUME alice {Good.Value}").TokenFound(1, "alice", T0.AddDays(1), "stamp-of-pw1")
            .Line(1, "TOKEN");
        var issue = AskedToIssue(room);
        Assert.Equal("stamp-of-pw1", issue.Stamp);
        Assert.Equal(Some(Good), issue.Replaces);
    }

    [Fact]
    public void A_session_keeps_its_stamp_however_often_it_asks_so_a_passwd_meanwhile_cannot_refresh_it()
    {
        // The room never learns the account's current password: what the shell said at login is what every TOKEN carries.
        var room = Given().LoggedIn(1, "alice", stamp: "stamp-of-pw1").Line(1, "TOKEN");
        room.Issued(1, "alice", Some(Good), AskedToIssue(room).Expires).After(TimeSpan.FromHours(1)).Line(1, "TOKEN");
        Assert.Equal("stamp-of-pw1", AskedToIssue(room).Stamp);
        Assert.Equal(Some("stamp-of-pw1"), room.State.Sessions.Find(new(1)).Map(s => s.Stamp));
    }

    [Fact]
    public void Logs_never_show_a_token()
    {
        var room = Given().Open(1).Line(1, $"RESUME alice {Good.Value}");
        var all = room.Effects.ToList();
        room.TokenFound(1, "alice", T0.AddDays(1));
        all.AddRange(room.Effects);
        room.Line(1, "TOKEN");
        all.AddRange(room.Effects);
        room.Issued(1, "alice", Some(Other), T0.AddDays(30));
        all.AddRange(room.Effects);
        room.Line(1, "FORGET");
        all.AddRange(room.Effects);
        foreach (var effect in all)
        {
            Assert.DoesNotContain(Good.Value, effect.ToString());
            Assert.DoesNotContain(Other.Value, effect.ToString());
            if (effect is Effect.Log log)
                Assert.All(log.Args, a => Assert.DoesNotContain("AAAA", a));
        }
    }
}
