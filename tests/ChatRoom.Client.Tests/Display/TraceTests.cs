using ChatRoom.Client.Display;
using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Tests.Display;

public class TraceTests
{
    private const string TokenText = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static readonly Secret Token = new(TokenText);

    [Fact]
    public void Login_is_traced_with_the_password_masked() =>
        Assert.Equal("> LOGIN alice ***", Trace.Sent(new Command.Login("alice", "secret words"), "LOGIN alice secret words"));

    [Fact]
    public void Other_lines_are_traced_as_sent_and_received()
    {
        Assert.Equal("> SAY hi", Trace.Sent(new Command.Say("hi"), "SAY hi"));
        Assert.Equal("< MESSAGE 2 alice hi", Trace.Received("MESSAGE 2 alice hi"));
    }

    [Fact]
    public void State_changes_use_the_clients_phase_names() =>
        Assert.Equal("# state: awaiting login -> in the room", Trace.Changed(ClientPhase.AwaitingLogin, ClientPhase.InRoom));

    [Fact]
    public void Traces_never_show_a_token()
    {
        Assert.Equal("> RESUME alice ***", Trace.Sent(new Command.Resume("alice", Token), $"RESUME alice {TokenText}"));
        Assert.Equal("< TOKEN *** 2026-12-26T14:03:00Z", Trace.Received($"TOKEN {TokenText} 2026-12-26T14:03:00Z"));
        Assert.DoesNotContain(TokenText, new ClientEffect.SaveToken(Token, new DateTimeOffset(2026, 11, 26, 14, 3, 0, TimeSpan.Zero)).ToString());
        Assert.DoesNotContain(TokenText, (ClientState.Initial("h:1", "alice", "", true) with { Token = Some(Token) }).ToString());
    }
}
