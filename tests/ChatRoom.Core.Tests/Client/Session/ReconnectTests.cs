using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;
using static ChatRoom.Core.Tests.Client.Session.ClientScenario;

namespace ChatRoom.Core.Tests.Client.Session;

/// <summary>A client that survives a dropped connection: backoff, logging in again, and showing only what it missed.</summary>
public class ReconnectTests
{
    private const string Hello2 = "HELLO chatroom 2 line=4096 text=3800 burst=20 rate=10 history=50 page=100";
    private const string Time = "2026-11-26T14:01:09.123Z";
    private const string TokenText = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    /// <summary>A client that reconnects, in the room of a protocol 2 server, having seen up to seq 5.</summary>
    private static ClientScenario Joined(bool scripted = true, string password = "secret words") =>
        Given(password: password, scripted: scripted).With(s => s with { Reconnects = true, Seed = 42 })
            .Server(Hello2).Server("PROTOCOL 2").Server("WELCOME alice").Server("USERS alice bob").Server("END USERS 2")
            .Server($"HISTORY JOINED 5 {Time} alice", "END HISTORY 1");

    /// <summary>Loses the connection and lets the backoff run out: the client asks for a new connection.</summary>
    private static ClientScenario Dropped(ClientScenario client, string reason = "connection reset")
    {
        client.Lost(reason).AtDeadline();
        Assert.Contains(client.Effects, e => e is ClientEffect.Connect);
        return client;
    }

    [Fact]
    public void Without_reconnect_a_lost_connection_still_exits_with_code_3()
    {
        var client = InRoom2().Lost();
        Assert.Equal(ExitCodes.ConnectionFailed, ((ClientEffect.Exit)client.Exited).Code);
        var bye = InRoom2().Server("BYE server shutting down");
        Assert.Equal(ExitCodes.ConnectionFailed, ((ClientEffect.Exit)bye.Exited).Code);
    }

    [Fact]
    public void A_lost_connection_closes_it_says_reconnecting_and_waits_the_first_backoff()
    {
        var client = Joined().Lost("connection reset");
        Assert.True(client.Exited.IsNone);
        Assert.Contains(client.Effects, e => e is ClientEffect.CloseConnection);
        Assert.Contains("reconnecting in", Assert.Single(client.Notices));
        Assert.Contains("…", client.Notices[0]);
        Assert.InRange(client.Deadline, Backoff.Ceiling(1) / 2, Backoff.Ceiling(1));
        Assert.Equal(ClientPhase.Connecting, client.State.Phase);
        Assert.Equal(1, client.State.Protocol);
    }

    [Fact]
    public void Coming_back_logs_in_again_with_the_password_held_in_memory()
    {
        var client = Dropped(Joined()).Server(Hello2);
        Assert.Equal(["PROTOCOL 2", "LOGIN alice secret words"], client.Sent);
        client.Server("PROTOCOL 2").Server("WELCOME alice");
        Assert.Contains("reconnected to 127.0.0.1:7777", client.Notices);
        Assert.Equal(ClientPhase.InRoom, client.State.Phase);
        Assert.True(client.State.Rejoining.IsNone);
    }

    [Fact]
    public void Without_reconnect_the_password_is_forgotten_at_WELCOME()
    {
        Assert.Equal("", InRoom2().State.Password);
        Assert.Equal("secret words", Joined().State.Password);
    }

    [Fact]
    public void Coming_back_uses_the_token_given_in_this_run_rather_than_the_password()
    {
        var client = Joined().With(s => s with { Remember = true });
        // A password login that remembers asks for a token; the answer is kept for the reconnect.
        client.Server($"TOKEN {TokenText} 2026-12-26T00:00:00Z");
        Dropped(client).Server(Hello2);
        Assert.Equal(["PROTOCOL 2", $"RESUME alice {TokenText}"], client.Sent);
    }

    [Fact]
    public void A_token_refused_on_coming_back_is_deleted_and_the_password_is_used_on_the_next_attempt()
    {
        var client = Dropped(Joined().With(s => s with { Token = Some(new Secret(TokenText)) })).Server(Hello2);
        Assert.Equal(["PROTOCOL 2", $"RESUME alice {TokenText}"], client.Sent);
        client.Server("PROTOCOL 2").Server("DENIED invalid nickname or password");
        Assert.True(client.Exited.IsNone);
        Assert.Contains(client.Effects, e => e is ClientEffect.ForgetToken);
        Assert.DoesNotContain(client.Effects, e => e is ClientEffect.FallBack);
        client.AtDeadline().Server(Hello2);
        Assert.Equal(["PROTOCOL 2", "LOGIN alice secret words"], client.Sent);
    }

    [Fact]
    public void A_restart_announced_by_BYE_is_followed_by_a_reconnect_and_the_old_connections_end_is_ignored()
    {
        var client = Joined().Server("BYE server shutting down");
        Assert.True(client.Exited.IsNone);
        Assert.Contains("* bye (server shutting down)", client.Shown);
        Assert.Contains(client.Effects, e => e is ClientEffect.CloseConnection);
        var backoff = client.Deadline;
        Assert.Empty(client.Lost().Effects);
        Assert.Contains(client.After(backoff).Tick().Effects, e => e is ClientEffect.Connect);
    }

    [Theory]
    [InlineData("account removed")]
    [InlineData("flooding")]
    public void A_BYE_that_coming_back_cannot_help_still_ends_the_run(string reason)
    {
        var client = Joined().Server($"BYE {reason}");
        Assert.Equal(ExitCodes.ConnectionFailed, ((ClientEffect.Exit)client.Exited).Code);
    }

    [Fact]
    public void Each_failed_attempt_waits_longer_within_the_ceiling_and_the_client_gives_up_after_the_last()
    {
        var client = Joined().Lost();
        for (var attempt = 1; attempt <= Backoff.MaxAttempts; attempt++)
        {
            Assert.InRange(client.Deadline, Backoff.Ceiling(attempt) / 2, Backoff.Ceiling(attempt));
            client.AtDeadline();
            client.Apply(new ClientInput.ConnectFailed("Connection refused", client.Now));
            if (attempt < Backoff.MaxAttempts) Assert.True(client.Exited.IsNone);
        }
        var exit = (ClientEffect.Exit)client.Exited;
        Assert.Equal(ExitCodes.ConnectionFailed, exit.Code);
        Assert.Contains($"gave up after {Backoff.MaxAttempts} attempts", exit.Message);
    }

    [Fact]
    public void The_schedule_is_half_to_all_of_a_doubling_ceiling_capped_at_30_s()
    {
        Assert.Equal([0.5, 1, 2, 4, 8, 16, 30, 30], Enumerable.Range(1, 8).Select(n => Backoff.Ceiling(n).TotalSeconds));
        var seed = 7UL;
        var waits = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            (var wait, seed) = Backoff.Delay(3, seed);
            waits.Add(wait.TotalSeconds);
        }
        Assert.All(waits, w => Assert.InRange(w, 1, 2));
        Assert.True(waits.Distinct().Count() > 150, "the jitter spreads the waits");
    }

    [Fact]
    public void Lines_typed_while_away_wait_and_are_sent_once_back_in_the_room()
    {
        var client = Joined(scripted: false).Lost();
        client.Typed("said while away");
        Assert.Empty(client.Sent);
        Assert.Contains("not connected", Assert.Single(client.Notices));
        client.AtDeadline().Server(Hello2).Server("PROTOCOL 2").Server("WELCOME alice");
        Assert.Equal(["SAY said while away"], client.Sent);
    }

    [Fact]
    public void Only_what_was_missed_is_shown_after_coming_back_and_a_wait_can_see_it()
    {
        var client = Joined().Typed("/wait bob: while 10");
        Dropped(client).Server(Hello2).Server("PROTOCOL 2").Server("WELCOME alice").Server("USERS alice bob", "END USERS 2");
        client.Server($"HISTORY JOINED 5 {Time} alice", $"HISTORY MESSAGE 6 {Time} bob while you were away",
            $"HISTORY LEFT 7 {Time} alice connection reset", $"HISTORY JOINED 8 {Time} alice", "END HISTORY 4");
        Assert.Equal(["— earlier —", "(h) bob: while you were away", "(h) * alice has left (connection reset)", "— now —"], client.Transcript);
        Assert.All(client.Effects.OfType<ClientEffect.Show>(), s => Assert.True(s.Missed));
        Assert.True(client.State.Wait.IsNone, "the /wait was satisfied by what was missed");
        Assert.Equal(8, client.State.LastSeen);
    }

    [Fact]
    public void A_nickname_still_held_by_the_old_connection_is_waited_out()
    {
        var client = Dropped(Joined()).Server(Hello2).Server("PROTOCOL 2").Server("ERROR 409 nickname already online: alice");
        Assert.True(client.Exited.IsNone);
        Assert.Contains(client.Effects, e => e is ClientEffect.CloseConnection);
        Assert.True(client.State.Rejoining.Exists(r => r.Deadline.IsSome), "a backoff runs");
    }

    [Fact]
    public void Ctrl_C_while_reconnecting_leaves_at_once_with_code_0()
    {
        var client = Joined().Lost().Interrupted();
        Assert.Equal(ExitCodes.Ok, ((ClientEffect.Exit)client.Exited).Code);
    }

    [Fact]
    public void A_wrong_password_on_coming_back_ends_the_run_as_a_refused_login()
    {
        var client = Dropped(Joined()).Server(Hello2).Server("DENIED invalid nickname or password");
        Assert.Equal(ExitCodes.LoginRefused, ((ClientEffect.Exit)client.Exited).Code);
    }
}
