using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Tests.Client;

/// <summary>A client that measures lag (the full-screen mode) times its own PINGs; one that does not never sends one.</summary>
public class LagTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 16, 0, 0, TimeSpan.Zero);

    private sealed class Client(ClientState state)
    {
        public ClientState State { get; private set; } = state;
        public List<ClientEffect> Effects { get; } = [];

        public Client Server(string line, DateTimeOffset at) => Apply(new ClientInput.ServerLine(EventCodec.Decode(line, State.Protocol), at));

        public Client Tick(DateTimeOffset at) => Apply(new ClientInput.Tick(at));

        public Client Apply(ClientInput input)
        {
            var outcome = ClientSession.Step(State, input);
            State = outcome.State;
            Effects.Clear();
            Effects.AddRange(outcome.Effects);
            return this;
        }

        public List<string> Sent => Effects.OfType<ClientEffect.Send>()
            .Select(s => CommandCodec.Encode(s.Command).IfFail("?")).ToList();
    }

    private static Client Joined(bool measures, DateTimeOffset at)
    {
        var client = new Client(ClientState.Initial("127.0.0.1:7777", "alice", "secret words", scripted: false)
            with { MeasuresLag = measures, Reconnects = true });
        return client.Server("HELLO chatroom 1", at).Server("WELCOME alice", at);
    }

    [Fact]
    public void A_client_that_measures_lag_pings_on_entering_the_room_and_times_the_answer()
    {
        var client = Joined(measures: true, T0);
        Assert.Equal(["PING lag-1"], client.Sent);
        Assert.True(client.State.Lag.IsNone);
        Assert.Equal(T0 + ClientSession.LagInterval, client.State.NextDeadline);

        client.Server("PONG lag-1", T0.AddMilliseconds(42));
        Assert.Equal(new Lag(TimeSpan.FromMilliseconds(42), AtLeast: false), client.State.Lag);
        Assert.Empty(client.Effects);
    }

    [Fact]
    public void The_next_probe_goes_at_the_interval_and_only_one_is_in_flight()
    {
        var client = Joined(measures: true, T0).Server("PONG lag-1", T0.AddMilliseconds(5));
        client.Tick(T0 + ClientSession.LagInterval);
        Assert.Equal(["PING lag-2"], client.Sent);

        // Unanswered at the next interval: no second PING, and the lag shown is how long it has waited.
        var late = T0 + 2 * ClientSession.LagInterval;
        client.Tick(late);
        Assert.Empty(client.Sent);
        Assert.Equal(new Lag(ClientSession.LagInterval, AtLeast: true), client.State.Lag);

        client.Server("PONG lag-2", late.AddSeconds(1));
        Assert.Equal(new Lag(ClientSession.LagInterval + TimeSpan.FromSeconds(1), AtLeast: false), client.State.Lag);
        client.Tick(late + ClientSession.LagInterval);
        Assert.Equal(["PING lag-3"], client.Sent);
    }

    [Fact]
    public void A_pong_that_is_not_the_probe_in_flight_changes_nothing()
    {
        var client = Joined(measures: true, T0);
        var before = client.State;
        client.Server("PONG keepalive", T0.AddSeconds(1)).Server("PONG lag-7", T0.AddSeconds(1));
        Assert.Equal(before, client.State);
        Assert.Empty(client.Effects);
    }

    [Fact]
    public void A_client_that_does_not_measure_lag_sends_no_ping_of_its_own()
    {
        var client = Joined(measures: false, T0);
        Assert.Empty(client.Sent);
        Assert.True(client.State.NextDeadline.IsNone);
    }

    [Fact]
    public void A_reconnect_forgets_the_lag_and_the_probe_and_probes_again_once_back_in_the_room()
    {
        var client = Joined(measures: true, T0).Server("PONG lag-1", T0.AddMilliseconds(3));
        client.Apply(new ClientInput.Disconnected("reset", T0.AddSeconds(1)));
        Assert.True(client.State.Lag.IsNone);
        Assert.True(client.State.ProbeDue.IsNone);

        var back = T0.AddSeconds(10);
        client.Tick(back).Server("HELLO chatroom 1", back).Server("WELCOME alice", back);
        Assert.Contains("PING lag-2", client.Sent);
    }
}
