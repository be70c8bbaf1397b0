using ChatRoom.Core.Client;
using static ChatRoom.Core.Tests.Client.Session.ClientScenario;

namespace ChatRoom.Core.Tests.Client.Session;

/// <summary>Protocol 3: the client asks for it, and a PRESENCE line reads as the JOINED and LEFT lines it gathers.</summary>
public class ProtocolThreeTests
{
    private const string Hello3 = "HELLO chatroom 3 line=4096 text=3800 burst=20 rate=10 history=50 page=100";

    private static ClientScenario InRoom3() =>
        Given().Server(Hello3).Server("PROTOCOL 3").Server("WELCOME alice").Server("USERS alice bob").Server("END USERS 2")
            .Server("END HISTORY 0");

    [Fact]
    public void A_protocol_3_server_is_asked_for_3_and_a_protocol_2_server_for_2()
    {
        Assert.Equal(["PROTOCOL 3", "LOGIN alice secret words"], Given().Server(Hello3).Sent);
        Assert.Equal(["PROTOCOL 2", "LOGIN alice secret words"],
            Given().Server("HELLO chatroom 2 line=4096 text=3800 burst=20 rate=10 history=50 page=100").Sent);
        Assert.Equal(3, InRoom3().State.Protocol);
    }

    [Fact]
    public void A_presence_line_is_shown_as_who_joined_then_who_left_without_the_client_itself()
    {
        var client = InRoom3().Server("PRESENCE 40 +carol +alice +dave -bob");
        Assert.Equal(["* carol has joined", "* dave has joined", "* bob has left"], client.Shown);
        Assert.Equal(40, client.State.LastSeen);
    }

    [Fact]
    public void A_wait_for_someone_joining_is_met_by_a_presence_line()
    {
        var client = InRoom3().Typed("/wait dave has joined").Typed("hi dave");
        Assert.Empty(client.Sent);
        client.Server("PRESENCE 41 +carol +dave");
        Assert.Equal(["SAY hi dave"], client.Sent);
    }

    [Fact]
    public void Presence_before_welcome_changes_nothing()
    {
        var client = Given().Server(Hello3).Server("PRESENCE 7 +carol");
        Assert.Empty(client.Effects);
    }
}
