using System.Text;
using ChatRoom.Core.Auth;

namespace ChatRoom.Host.Tests;

/// <summary>The fast part of the hostile-load suite: each attack in miniature, over real sockets (bench/ has the heavy runs).</summary>
public class HostileLoadTests
{
    private static byte[] Lines(string line, int count) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(line + "\n", count)));

    [Fact]
    public async Task A_client_flooding_before_login_is_cut_off_with_bye_flooding_and_chat_goes_on()
    {
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        await using var attacker = await server.Connect();
        await attacker.ExpectHello();
        await attacker.SendBytes(Lines("PONG x", 2000));
        var seen = await attacker.ExpectClosed();
        Assert.Equal("BYE flooding", seen[^1]);
        Assert.InRange(seen.Count(l => l.StartsWith("ERROR 429")), 1, 61); // at most the allowance is answered
        await alice.Send("SAY still here");
        await alice.Expect("MESSAGE 2 alice still here");
        await server.Logs.WaitFor(l => l.Contains("flooding"), "about the flood");
    }

    [Fact]
    public async Task A_member_flooding_say_is_disconnected_and_the_others_hear_why()
    {
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        await using var bob = await server.Login("bob");
        await alice.Expect("JOINED 2 bob");
        await bob.SendBytes(Lines("SAY spam", 500));
        Assert.Equal("BYE flooding", (await bob.ExpectClosed())[^1]);
        var left = await alice.WaitFor(l => l.StartsWith("LEFT"), "saying bob left");
        Assert.EndsWith("bob flooding", left);
    }

    [Fact]
    public async Task Past_the_per_address_check_cap_a_login_is_answered_busy_at_once_and_can_retry()
    {
        using var release = new ManualResetEventSlim(false);
        AuthVerdict Held(UserDirectory users, string nick, string password)
        {
            release.Wait(TimeSpan.FromSeconds(30));
            return Authenticator.Authenticate(users, nick, password);
        }
        await using var server = TestServer.Start(authenticate: Held);
        await using var one = await server.Connect();
        await using var two = await server.Connect();
        await using var three = await server.Connect();
        foreach (var c in new[] { one, two, three }) await c.ExpectHello();
        await one.Send("LOGIN alice wrong");
        await two.Send("LOGIN bob wrong");
        // PING answers prove each LOGIN was applied before the next one is sent.
        await two.Send("PING");
        await two.Expect("PONG");
        await three.Send("LOGIN carol wrong");
        await three.Expect("ERROR 503 busy, retry in 2 s");
        release.Set();
        Assert.Equal(["DENIED invalid nickname or password"], await one.ExpectClosed());
        Assert.Equal(["DENIED invalid nickname or password"], await two.ExpectClosed());
        await three.Send($"LOGIN carol {TestServer.Accounts["carol"]}");
        await three.Expect("WELCOME carol");
    }

    [Fact]
    public async Task A_check_whose_connection_has_gone_is_dropped_before_it_runs()
    {
        using var release = new ManualResetEventSlim(false);
        var checkedNicks = new System.Collections.Concurrent.ConcurrentQueue<string>();
        AuthVerdict Held(UserDirectory users, string nick, string password)
        {
            checkedNicks.Enqueue(nick);
            release.Wait(TimeSpan.FromSeconds(30));
            return Authenticator.Authenticate(users, nick, password);
        }
        await using var server = TestServer.Start(authenticate: Held); // one checking thread
        await using var first = await server.Connect();
        await first.ExpectHello();
        await first.Send("LOGIN alice wrong"); // holds the only checking thread
        var gone = await server.Connect();
        await gone.ExpectHello();
        await gone.Send("LOGIN bob wrong");
        await gone.Send("PING");
        await gone.Expect("PONG");
        await gone.DisposeAsync();
        await server.Logs.WaitFor(l => l.Contains("disconnected bob"), "about bob's connection closing");

        release.Set();
        Assert.Equal(["DENIED invalid nickname or password"], await first.ExpectClosed());
        await using var third = await server.Connect();
        await third.ExpectHello();
        await third.Send("LOGIN carol wrong"); // checked after the dropped job, on the same thread
        Assert.Equal(["DENIED invalid nickname or password"], await third.ExpectClosed());
        Assert.Equal(["alice", "carol"], checkedNicks.ToArray());
    }

    [Fact]
    public async Task Who_in_a_room_is_paid_for_by_the_size_of_its_answer()
    {
        await using var server = TestServer.Start(l => l with { WhoBytesPerToken = 4 });
        await using var alice = await server.Login("alice");
        await using var bob = await server.Login("bob");
        // "alice bob" costs 1 + 10 / 4 = 3 tokens of the burst of 20: six WHO are answered, then 429.
        await alice.SendBytes(Lines("WHO", 8));
        var answers = new List<string>();
        for (var i = 0; i < 8; i++) answers.Add(await alice.WaitFor(l => l.StartsWith("USERS") || l.StartsWith("ERROR"), "answering WHO"));
        Assert.Equal(6, answers.Count(a => a.StartsWith("USERS")));
        Assert.Equal(2, answers.Count(a => a.StartsWith("ERROR 429")));
    }
}
