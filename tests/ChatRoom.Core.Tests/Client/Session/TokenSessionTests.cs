using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;
using static ChatRoom.Core.Tests.Client.Session.ClientScenario;

namespace ChatRoom.Core.Tests.Client.Session;

/// <summary>The client's side of resume tokens: RESUME first, the password only if refused, TOKEN when asked to remember, /logout.</summary>
public class TokenSessionTests
{
    private const string TokenText = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static readonly Secret Token = new(TokenText);

    [Fact]
    public void With_a_stored_token_the_client_sends_RESUME_instead_of_LOGIN()
    {
        var client = Given(password: "").With(s => s with { Token = Some(Token) }).Server("HELLO chatroom 1");
        Assert.Equal([$"RESUME alice {TokenText}"], client.Sent);
        client.Server("WELCOME alice");
        Assert.Equal(ClientPhase.InRoom, client.State.Phase);
        Assert.Empty(client.Sent);
    }

    [Fact]
    public void A_refused_token_is_deleted_and_the_client_falls_back_to_the_password()
    {
        var client = Given(password: "").With(s => s with { Token = Some(Token) })
            .Server("HELLO chatroom 1").Server("DENIED invalid nickname or password");
        Assert.Contains(client.Effects, e => e is ClientEffect.ForgetToken);
        Assert.Contains(client.Effects, e => e is ClientEffect.FallBack);
        Assert.True(client.Exited.IsNone);
        Assert.Equal(ClientPhase.Closed, client.State.Phase);
    }

    [Fact]
    public void Too_many_attempts_while_resuming_keeps_the_token_and_exits_refused()
    {
        var client = Given(password: "").With(s => s with { Token = Some(Token) })
            .Server("HELLO chatroom 1").Server("DENIED too many attempts");
        Assert.DoesNotContain(client.Effects, e => e is ClientEffect.ForgetToken or ClientEffect.FallBack);
        Assert.Equal(ExitCodes.LoginRefused, client.Exited.Map(x => x.Code));
    }

    [Fact]
    public void A_client_asked_to_remember_asks_for_a_token_after_a_password_login_and_saves_it()
    {
        var client = Given().With(s => s with { Remember = true }).Server("HELLO chatroom 1").Server("WELCOME alice");
        Assert.Equal(["TOKEN"], client.Sent);
        client.Server($"TOKEN {TokenText} 2026-12-26T14:03:00Z");
        Assert.Equal([new ClientEffect.SaveToken(Token, new DateTimeOffset(2026, 12, 26, 14, 3, 0, TimeSpan.Zero))],
            client.Effects.OfType<ClientEffect.SaveToken>());
        Assert.Empty(client.Shown);
    }

    [Fact]
    public void Lines_wait_for_the_token_so_a_script_that_ends_at_once_still_keeps_it()
    {
        var client = Given().With(s => s with { Remember = true }).Typed("hello").Ended()
            .Server("HELLO chatroom 1").Server("WELCOME alice");
        Assert.Equal(["TOKEN"], client.Sent);
        client.Server($"TOKEN {TokenText} 2026-12-26T14:03:00Z");
        Assert.Equal(["SAY hello", "QUIT"], client.Sent);
    }

    [Fact]
    public void A_server_that_cannot_issue_a_token_does_not_hold_the_client()
    {
        var client = Given().With(s => s with { Remember = true }).Typed("hello")
            .Server("HELLO chatroom 1").Server("WELCOME alice").Server("ERROR 503 cannot issue a token now, retry in 2 s");
        Assert.Equal(["SAY hello"], client.Sent);
    }

    [Fact]
    public void A_client_that_resumed_does_not_ask_for_another_token()
    {
        var client = Given(password: "").With(s => s with { Token = Some(Token), Remember = true })
            .Server("HELLO chatroom 1").Server("WELCOME alice");
        Assert.Empty(client.Sent);
    }

    [Fact]
    public void Logout_sends_FORGET_holds_the_next_lines_then_deletes_the_token_and_quits()
    {
        var client = InRoom().Typed("/logout").Typed("after");
        Assert.Empty(client.Sent);
        Assert.True(client.State.LoggingOut);
        client.Server("FORGOTTEN");
        Assert.Contains(client.Effects, e => e is ClientEffect.ForgetToken);
        Assert.Equal(["QUIT"], client.Sent);
    }

    [Fact]
    public void Logout_against_a_server_without_FORGET_still_deletes_the_token_and_quits()
    {
        var client = InRoom().Typed("/logout").Server("ERROR 400 unknown command FORGET");
        Assert.Contains(client.Effects, e => e is ClientEffect.ForgetToken);
        Assert.Equal(["QUIT"], client.Sent);
    }
}
