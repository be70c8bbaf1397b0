using ChatRoom.Core.Client;
using static ChatRoom.Core.Tests.Client.Session.ClientScenario;

namespace ChatRoom.Core.Tests.Client.Session;

/// <summary>A client that measures lag (the full-screen mode) times its own PINGs; one that does not never sends one.</summary>
public class LagTests
{
    private static ClientScenario Joined(bool measures) =>
        Given(scripted: false).With(s => s with { MeasuresLag = measures, Reconnects = true }).Server("HELLO chatroom 1").Server("WELCOME alice");

    [Fact]
    public void A_client_that_measures_lag_pings_on_entering_the_room_and_times_the_answer()
    {
        var client = Joined(measures: true);
        Assert.Equal(["PING lag-1"], client.Sent);
        Assert.True(client.State.Lag.IsNone);
        Assert.Equal(ClientSession.LagInterval, client.Deadline);

        client.After(TimeSpan.FromMilliseconds(42)).Server("PONG lag-1");
        Assert.Equal(new Lag(TimeSpan.FromMilliseconds(42), AtLeast: false), client.State.Lag);
        Assert.Empty(client.Effects);
    }

    [Fact]
    public void The_next_probe_goes_at_the_interval_and_only_one_is_in_flight()
    {
        var client = Joined(measures: true).Server("PONG lag-1");
        client.After(ClientSession.LagInterval).Tick();
        Assert.Equal(["PING lag-2"], client.Sent);

        // Unanswered at the next interval: no second PING, and the lag shown is how long it has waited.
        client.After(ClientSession.LagInterval).Tick();
        Assert.Empty(client.Sent);
        Assert.Equal(new Lag(ClientSession.LagInterval, AtLeast: true), client.State.Lag);

        client.After(TimeSpan.FromSeconds(1)).Server("PONG lag-2");
        Assert.Equal(new Lag(ClientSession.LagInterval + TimeSpan.FromSeconds(1), AtLeast: false), client.State.Lag);
        client.AtDeadline();
        Assert.Equal(["PING lag-3"], client.Sent);
    }

    [Fact]
    public void A_pong_that_is_not_the_probe_in_flight_changes_nothing()
    {
        var client = Joined(measures: true);
        var before = client.State;
        client.After(TimeSpan.FromSeconds(1)).Server("PONG keepalive", "PONG lag-7");
        Assert.Equal(before, client.State);
        Assert.Empty(client.Effects);
    }

    [Fact]
    public void A_client_that_does_not_measure_lag_sends_no_ping_of_its_own()
    {
        var client = Joined(measures: false);
        Assert.Empty(client.Sent);
        Assert.True(client.State.NextDeadline.IsNone);
    }

    [Fact]
    public void A_reconnect_forgets_the_lag_and_the_probe_and_probes_again_once_back_in_the_room()
    {
        var client = Joined(measures: true).After(TimeSpan.FromMilliseconds(3)).Server("PONG lag-1");
        client.After(TimeSpan.FromSeconds(1)).Lost();
        Assert.True(client.State.Lag.IsNone);
        Assert.True(client.State.Probing.IsNone);
        Assert.True(client.State.ProbeDue.IsNone);

        client.AtDeadline().Server("HELLO chatroom 1", "WELCOME alice");
        Assert.Contains("PING lag-2", client.Sent);
    }

    [Fact]
    public void No_probe_goes_after_quit()
    {
        var client = Joined(measures: true).Server("PONG lag-1").After(ClientSession.LagInterval - TimeSpan.FromSeconds(1)).Typed("/quit");
        Assert.Equal(["QUIT"], client.Sent);
        client.After(TimeSpan.FromSeconds(1)).Tick();
        Assert.Empty(client.Sent);
    }
}
