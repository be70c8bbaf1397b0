using ChatRoom.Core.Client;
using static ChatRoom.Core.Tests.Client.Session.ClientScenario;

namespace ChatRoom.Core.Tests.Client.Session;

/// <summary>The client's timers are deadlines in its state, acted on by the first <see cref="ClientInput.Tick"/> at or after them.</summary>
public class DeadlineTests
{
    [Fact]
    public void A_tick_before_any_deadline_does_nothing()
    {
        var client = InRoom().Typed("/wait bob 10");
        var before = client.State;
        client.After(TimeSpan.FromSeconds(9.999)).Tick();
        Assert.Empty(client.Effects);
        Assert.Equal(before, client.State);
    }

    [Fact]
    public void A_closed_client_waits_for_no_deadline()
    {
        var client = InRoom().Typed("/quit").Server("BYE quit");
        Assert.Equal(ClientPhase.Closed, client.State.Phase);
        Assert.True(client.State.NextDeadline.IsNone);
    }

    [Fact]
    public void One_late_tick_acts_on_every_deadline_due_and_new_ones_count_from_the_tick()
    {
        var client = InRoom();
        for (var i = 1; i <= Pacing.Burst(ServerLimits.Default); i++) client.Typed($"line {i}");
        client.Typed("held back").Ended();
        Assert.Empty(client.Sent);

        // Far past the pacing deadline: the held line goes, the input has ended, so the client leaves, and the wait
        // for BYE counts from this tick, not from the deadline that was missed.
        client.After(TimeSpan.FromMinutes(1)).Tick();
        Assert.Equal(["SAY held back", "QUIT"], client.Sent);
        Assert.Equal(ClientSession.ByeTimeout, client.Deadline);
        Assert.True(client.Exited.IsNone);
    }

    [Fact]
    public void The_earliest_deadline_is_the_one_exposed()
    {
        var client = InRoom().Typed("/wait bob 30");
        Assert.Equal(TimeSpan.FromSeconds(30), client.Deadline);
        client.Interrupted();
        Assert.Equal(ClientSession.ByeTimeout, client.Deadline);
    }
}
