using ChatRoom.Core.Client;
using static ChatRoom.Core.Tests.Client.Session.ClientScenario;

namespace ChatRoom.Core.Tests.Client.Session;

/// <summary>A server busy checking other logins (ERROR 503) is waited out, a bounded number of times.</summary>
public class BusyServerTests
{
    [Fact]
    public void A_busy_answer_to_login_is_waited_out_and_the_same_login_sent_again()
    {
        var client = Given(password: "secret words").Server("HELLO chatroom 1").Server("ERROR 503 busy, retry in 3 s");
        Assert.True(client.Exited.IsNone);
        Assert.Equal(TimeSpan.FromSeconds(3), client.Deadline);
        Assert.Empty(client.Sent);

        client.AtDeadline();
        Assert.Equal(["LOGIN alice secret words"], client.Sent);
        client.Server("WELCOME alice").Server("USERS alice");
        Assert.Equal("", client.State.Password);
        Assert.Equal(ClientPhase.InRoom, client.State.Phase);
    }

    [Fact]
    public void After_five_busy_answers_the_client_gives_up_with_login_refused()
    {
        var client = Given().Server("HELLO chatroom 1");
        for (var i = 0; i < ClientSession.MaxBusyAnswers; i++)
        {
            client.Server("ERROR 503 busy, retry in 1 s");
            client.AtDeadline();
        }
        client.Server("ERROR 503 busy, retry in 1 s");
        Assert.Equal(new ClientEffect.Exit(ExitCodes.LoginRefused, "login refused: busy, retry in 1 s"), client.Exited);
    }

    [Theory]
    [InlineData("busy, retry in 2 s", 2)]
    [InlineData("busy, retry in 999 s", 30)]
    [InlineData("busy", 2)]
    public void The_wait_comes_from_the_answer_within_bounds(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ClientSession.RetryAfter(text));
}
