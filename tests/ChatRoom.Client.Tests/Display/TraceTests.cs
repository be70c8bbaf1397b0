using ChatRoom.Client.Display;
using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Tests.Display;

public class TraceTests
{
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
}
