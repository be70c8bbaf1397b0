using System.Diagnostics;

namespace ChatRoom.Host.Tests;

/// <summary>
/// JOINED and LEFT may wait up to Limits:PresenceDelayMilliseconds to be written, so that a login storm leaves
/// in a few large writes per member; any other line takes them along, so the order never changes.
/// </summary>
public sealed class PresenceDelayTests
{
    [Fact]
    public async Task A_join_waits_for_the_delay_unless_a_message_takes_it_along_in_order()
    {
        await using var server = TestServer.Start(l => l with { PresenceDelayMilliseconds = 1000 });
        await using var alice = await server.Login("alice");

        // With nothing else to send, bob's JOINED leaves when the delay is over, not before: it is queued when
        // bob is admitted, after the clock started.
        var clock = Stopwatch.StartNew();
        await using var bob = await server.Login("bob");
        await alice.Expect("JOINED 2 bob");
        Assert.InRange(clock.ElapsedMilliseconds, 900, 10_000);

        // carol's JOINED waits; alice's message, which cannot, sends it first, to both members, at once (well
        // within the delay).
        await using var carol = await server.Login("carol");
        var urgent = Stopwatch.StartNew();
        await alice.Send("SAY hi");
        await alice.Expect("JOINED 3 carol");
        await alice.Expect("MESSAGE 4 alice hi");
        Assert.InRange(urgent.ElapsedMilliseconds, 0, 500);
        await bob.Expect("JOINED 3 carol");
        await bob.Expect("MESSAGE 4 alice hi");
        await carol.Expect("MESSAGE 4 alice hi");

        // A LEFT waits the same way, and still comes before anything said later (carol is gone before bob
        // speaks), and the message does not wait for it.
        await carol.Send("QUIT");
        await carol.ExpectClosed();
        urgent.Restart();
        await bob.Send("SAY bye carol");
        await alice.Expect("LEFT 5 carol quit");
        await alice.Expect("MESSAGE 6 bob bye carol");
        Assert.InRange(urgent.ElapsedMilliseconds, 0, 500);
    }
}
