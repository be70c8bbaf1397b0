using ChatRoom.Core.Auth;
using ChatRoom.Core.Room;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

/// <summary>Admission control for password checks, and the login policy (open registration) that lives in the room.</summary>
public class LoginAdmissionTests
{
    [Fact]
    public void Past_the_per_address_cap_a_login_is_answered_busy_at_once_and_may_retry()
    {
        var room = Given().Open(1).Line(1, "LOGIN a pw").Open(2).Line(2, "LOGIN b pw").Open(3).Line(3, "LOGIN c pw");
        Assert.Equal(["ERROR 503 busy, retry in 2 s"], room.Lines(3));
        Assert.Empty(room.Checked);
        Assert.Equal(Phase.AwaitingLogin, room.State.PhaseOf(new(3)));

        room.Verdict(1, "a", AuthVerdict.Accepted).Line(3, "LOGIN c pw");
        Assert.Equal([3L], room.Checked);
    }

    [Fact]
    public void Another_address_is_not_delayed_by_one_addresses_backlog()
    {
        var room = Given().Open(1).Line(1, "LOGIN a pw").Open(2).Line(2, "LOGIN b pw");
        for (var i = 3; i < 100; i++) room.Open(i).Line(i, "LOGIN x pw");
        room.Open(100, "10.0.0.2").Line(100, "LOGIN alice pw");
        Assert.Equal([100L], room.Checked);
        Assert.Equal(3, room.State.Checks.Count);
    }

    [Fact]
    public void Past_the_total_cap_every_address_is_answered_busy()
    {
        var room = Given(RoomSettings.Default with { MaxChecksInFlight = 3 });
        for (var i = 1; i <= 3; i++) room.Open(i, $"10.0.0.{i}").Line(i, "LOGIN x pw");
        room.Open(4, "10.0.0.4").Line(4, "LOGIN alice pw");
        Assert.Equal(["ERROR 503 busy, retry in 2 s"], room.Lines(4));
    }

    [Fact]
    public void Closing_the_connection_cancels_its_check_but_keeps_its_place_until_the_shell_answers()
    {
        var room = Given().Open(1).Line(1, "LOGIN a pw").Open(2).Line(2, "LOGIN b pw").Close(1).Close(2);
        Assert.Contains(room.Effects, e => e is Effect.CancelCheck { Id.Value: 2 });
        room.Open(3).Line(3, "LOGIN c pw");
        Assert.Equal(["ERROR 503 busy, retry in 2 s"], room.Lines(3));

        room.Verdict(1, "a", AuthVerdict.Skipped).Line(3, "LOGIN c pw");
        Assert.Equal([3L], room.Checked);
    }

    [Fact]
    public void A_refusal_counts_against_the_address_even_when_the_connection_is_gone()
    {
        var room = Given();
        for (var i = 1; i <= 5; i++) room.Open(i).Line(i, "LOGIN ghost wrong").Close(i).Verdict(i, "ghost", AuthVerdict.UnknownUser);
        room.Open(6).Line(6, "LOGIN alice right");
        Assert.Equal(["DENIED too many attempts"], room.Lines(6));
    }

    [Fact]
    public void A_check_cancelled_before_it_ran_is_not_a_refusal()
    {
        var room = Given();
        for (var i = 1; i <= 10; i++) room.Open(i).Line(i, "LOGIN ghost wrong").Close(i).Verdict(i, "ghost", AuthVerdict.Skipped);
        room.Open(11).Line(11, "LOGIN alice right");
        Assert.Equal([11L], room.Checked);
    }

    [Fact]
    public void A_verdict_for_a_timed_out_login_frees_its_place_and_is_otherwise_ignored()
    {
        var room = Given().Open(1).Line(1, "LOGIN alice pw").After(TimeSpan.FromSeconds(31)).Tick();
        Assert.Equal(["BYE login timeout"], room.Lines(1));
        room.Verdict(1, "alice", AuthVerdict.Accepted);
        Assert.Empty(room.Effects);
        Assert.True(room.State.Checks.IsEmpty);
    }

    [Fact]
    public void With_open_registration_an_unknown_nickname_is_registered_and_admitted()
    {
        var room = Given(RoomSettings.Default with { OpenRegistration = true }).Open(1).Line(1, "LOGIN newbie pw1").Verdict(1, "newbie", AuthVerdict.UnknownUser);
        Assert.Equal([new Effect.Register(new(1), "newbie", "pw1")], room.Effects.ToList());
        Assert.Equal(1, room.State.Checks.Count);
        room.Registration(1, "newbie", RegistrationResult.Created);
        Assert.Equal(["WELCOME newbie", "USERS newbie"], room.Lines(1));
        Assert.True(room.State.Checks.IsEmpty);
    }

    [Fact]
    public void Without_open_registration_an_unknown_nickname_is_denied()
    {
        var room = Given().Open(1).Line(1, "LOGIN newbie pw1").Verdict(1, "newbie", AuthVerdict.UnknownUser);
        Assert.Equal(["DENIED invalid nickname or password"], room.Lines(1));
        Assert.DoesNotContain(room.Effects, e => e is Effect.Register);
    }

    [Fact]
    public void A_registration_that_raced_another_checks_the_password_against_the_winner()
    {
        var room = Given(RoomSettings.Default with { OpenRegistration = true }).Open(1).Line(1, "LOGIN newbie pw1")
            .Verdict(1, "newbie", AuthVerdict.UnknownUser).Registration(1, "newbie", RegistrationResult.Exists);
        Assert.Equal([new Effect.CheckPassword(new(1), "newbie", "pw1")], room.Effects.Filter(e => e is Effect.CheckPassword).ToList());
        room.Verdict(1, "Newbie", AuthVerdict.WrongPassword);
        Assert.Equal(["DENIED invalid nickname or password"], room.Lines(1));
    }

    [Fact]
    public void A_registration_that_could_not_be_written_is_answered_busy_and_the_login_may_be_retried()
    {
        var room = Given(RoomSettings.Default with { OpenRegistration = true }).Open(1).Line(1, "LOGIN newbie pw1")
            .Verdict(1, "newbie", AuthVerdict.UnknownUser).Registration(1, "newbie", RegistrationResult.Failed);
        Assert.Equal(["ERROR 503 cannot register now, retry in 2 s"], room.Lines(1));
        Assert.Equal(Phase.AwaitingLogin, room.State.PhaseOf(new(1)));
        Assert.True(room.State.Checks.IsEmpty);
    }

    [Fact]
    public void No_registration_for_a_connection_that_is_gone()
    {
        var room = Given(RoomSettings.Default with { OpenRegistration = true }).Open(1).Line(1, "LOGIN newbie pw1").Close(1)
            .Verdict(1, "newbie", AuthVerdict.UnknownUser);
        Assert.DoesNotContain(room.Effects, e => e is Effect.Register);
        Assert.True(room.State.Checks.IsEmpty);
    }

    [Fact]
    public void A_registration_dropped_before_it_ran_frees_its_place()
    {
        var room = Given(RoomSettings.Default with { OpenRegistration = true }).Open(1).Line(1, "LOGIN newbie pw1")
            .Verdict(1, "newbie", AuthVerdict.UnknownUser).Close(1);
        Assert.Contains(room.Effects, e => e is Effect.CancelCheck { Id.Value: 1 });
        room.Verdict(1, "newbie", AuthVerdict.Skipped);
        Assert.True(room.State.Checks.IsEmpty);
    }

    [Fact]
    public void Admission_raises_the_line_limit_before_welcome_is_sent()
    {
        var room = Given().Open(1).Line(1, "LOGIN alice pw").Verdict(1, "alice", AuthVerdict.Accepted);
        var effects = room.Effects.ToList();
        var raised = effects.FindIndex(e => e is Effect.LineLimit { Id.Value: 1, Bytes: 4096 });
        var welcome = effects.FindIndex(e => e is Effect.Send { Event: ChatRoom.Core.Protocol.ServerEvent.Welcome });
        Assert.InRange(raised, 0, welcome - 1);
    }

    [Fact]
    public void The_pending_password_never_shows_in_text()
    {
        var room = Given().Open(1).Line(1, "LOGIN alice hunter2");
        Assert.DoesNotContain("hunter2", room.State.Checks.ToString());
        Assert.DoesNotContain("hunter2", new Effect.Register(new(1), "alice", "hunter2").ToString());
    }
}
