using ChatRoom.Core.Room;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

/// <summary>Passwords never cross a network in clear by default: plaintext from the network is refused when the server says so.</summary>
public class PlaintextTests
{
    private static readonly RoomSettings NetworkBound = RoomSettings.Default with { PlaintextLoopbackOnly = true, TlsPort = 7778 };

    [Fact]
    public void Plaintext_from_the_network_is_refused_with_the_tls_port_named()
    {
        var room = Given(NetworkBound).Open(1, "10.0.0.1");
        Assert.Equal(["BYE plaintext is served to loopback only: connect with TLS to port 7778"], room.Lines(1));
        Assert.True(room.Closed(1));
        Assert.True(room.State.Sessions.IsEmpty);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.3.4.5")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Plaintext_from_loopback_is_served(string address)
    {
        var room = Given(NetworkBound).Open(1, address);
        Assert.Equal([Hello], room.Lines(1));
    }

    [Fact]
    public void Tls_from_the_network_is_served()
    {
        var room = Given(NetworkBound).OpenTls(1, "10.0.0.1");
        Assert.Equal([Hello], room.Lines(1));
    }

    [Fact]
    public void Without_the_setting_plaintext_from_the_network_is_served()
    {
        var room = Given(RoomSettings.Default).Open(1, "10.0.0.1");
        Assert.Equal([Hello], room.Lines(1));
    }
}
