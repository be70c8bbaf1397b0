using ChatRoom.Core.Room;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

/// <summary>Who gets a connection: the per-address caps, the anonymous pool and who makes room when it is full.</summary>
public class AdmissionTests
{
    private static readonly RoomSettings Small = RoomSettings.Default with
    {
        MaxConnections = 6, MaxConnectionsPerAddress = 3, MaxAnonymous = 4, MaxAnonymousPerAddress = 2,
    };

    [Fact]
    public void An_address_past_its_anonymous_cap_is_refused_and_others_are_not_affected()
    {
        var room = Given(Small).Open(1).Open(2).Open(3);
        Assert.Equal(["BYE too many connections from your address"], room.Lines(3));
        Assert.True(room.Closed(3));
        room.Open(4, "10.0.0.2");
        Assert.Equal([Hello], room.Lines(4));
    }

    [Fact]
    public void Members_count_against_their_address_total_but_not_its_anonymous_cap()
    {
        var room = Given(Small).LoggedIn(1, "alice").LoggedIn(2, "bob").Open(3);
        Assert.Equal([Hello], room.Lines(3));
        room.Open(4);
        Assert.Equal(["BYE too many connections from your address"], room.Lines(4));
    }

    [Fact]
    public void When_the_anonymous_pool_is_full_the_biggest_holder_gives_up_its_oldest_connection()
    {
        var room = Given(Small).Open(1, "10.0.0.9").Open(2).Open(3).Open(4, "10.0.0.2");
        room.Open(5, "10.0.0.3");
        Assert.Equal(["BYE server full"], room.Lines(2)); // 10.0.0.1 holds two: its oldest goes
        Assert.True(room.Closed(2));
        Assert.Equal([Hello], room.Lines(5));
        Assert.Equal(4, room.State.Anonymous.Count);
    }

    [Fact]
    public void When_every_address_holds_one_the_oldest_anonymous_connection_makes_room()
    {
        var room = Given(Small).Open(1, "10.0.0.1").Open(2, "10.0.0.2").Open(3, "10.0.0.3").Open(4, "10.0.0.4");
        room.Open(5, "10.0.0.5");
        Assert.Equal(["BYE server full"], room.Lines(1));
        Assert.Equal([Hello], room.Lines(5));
    }

    [Fact]
    public void An_attacker_reconnecting_at_once_only_pushes_out_its_own_connections()
    {
        var room = Given(Small with { MaxAnonymousPerAddress = 4 }).Open(1, "10.6.6.6").Open(2, "10.6.6.6").Open(3, "10.6.6.6");
        room.Open(4, "10.0.0.1");
        for (var id = 5; id < 50; id++)
        {
            room.Open(id, "10.6.6.6");
            Assert.False(room.Closed(4), $"the user was pushed out by attacker connection {id}");
        }
        room.Line(4, "LOGIN alice pw").Verdict(4, "alice", ChatRoom.Core.Auth.AuthVerdict.Accepted);
        Assert.Equal("WELCOME alice", room.Lines(4)[0]);
    }

    [Fact]
    public void A_server_full_of_members_refuses_a_newcomer()
    {
        var room = Given(Small with { MaxConnections = 2 }).LoggedIn(1, "alice").LoggedIn(2, "bob", "10.0.0.2").Open(3, "10.0.0.3");
        Assert.Equal(["BYE server full"], room.Lines(3));
        Assert.False(room.Closed(1) || room.Closed(2));
    }

    [Fact]
    public void A_server_at_its_connection_limit_makes_room_by_dropping_an_anonymous_connection()
    {
        var room = Given(Small with { MaxConnections = 3 }).LoggedIn(1, "alice").LoggedIn(2, "bob", "10.0.0.2").Open(3, "10.0.0.3");
        room.Open(4, "10.0.0.4");
        Assert.Equal(["BYE server full"], room.Lines(3));
        Assert.Equal([Hello], room.Lines(4));
    }

    [Fact]
    public void A_connection_that_arrives_during_shutdown_is_told_so_and_closed()
    {
        var room = Given().LoggedIn(1, "alice").Apply(new Input.Shutdown(Scenario.T0)).Open(2);
        Assert.Equal(["BYE server shutting down"], room.Lines(2));
        Assert.True(room.Closed(2));
        Assert.True(room.State.Sessions.IsEmpty);
    }

    [Fact]
    public void Closing_connections_gives_their_places_back()
    {
        var room = Given(Small).Open(1).Open(2).Close(1).Open(3);
        Assert.Equal([Hello], room.Lines(3));
        room.Close(2).Close(3);
        Assert.True(room.State.Anonymous.IsEmpty);
        Assert.True(room.State.Holders.IsEmpty);
        Assert.True(room.State.Addresses.IsEmpty);
    }

    [Fact]
    public void A_client_that_does_not_read_is_told_goodbye_alone_and_the_room_hears_it_left()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob").Overflow(2);
        Assert.Contains(room.Effects, e => e is Effect.Abandon { Id.Value: 2, Last: ChatRoom.Core.Protocol.ServerEvent.Bye { Reason: "send queue exceeded" } });
        Assert.True(room.Closed(2));
        Assert.Equal(["LEFT 3 bob send queue exceeded"], room.Lines(1));
    }
}
