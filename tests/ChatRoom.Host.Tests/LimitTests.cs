using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace ChatRoom.Host.Tests;

/// <summary>One test per limit: each is a setting, and each holds over real sockets.</summary>
public class LimitTests
{
    [Fact]
    public async Task A_line_over_4096_bytes_gets_413_and_the_connection_stays()
    {
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        await alice.Send("SAY " + new string('x', 5000));
        await alice.Expect("ERROR 413 line too long (limit 4096 bytes)");
        await alice.Send("SAY after the long line");
        await alice.Expect("MESSAGE 2 alice after the long line");
    }

    [Fact]
    public async Task Before_login_a_line_may_be_1024_bytes_and_after_it_4096()
    {
        await using var server = TestServer.Start();
        await using var client = await server.Connect();
        await client.ExpectHello();
        await client.Send("LOGIN alice " + new string('x', 1100));
        await client.Expect("ERROR 413 line too long (limit 1024 bytes)");
        await client.Send("LOGIN alice " + new string('x', 1000)); // fits: checked, and refused
        Assert.Equal(["DENIED invalid nickname or password"], await client.ExpectClosed());

        await using var alice = await server.Login("alice");
        await alice.Send("SAY " + new string('y', 3000));
        await alice.Expect("MESSAGE 2 alice " + new string('y', 3000));
    }

    [Fact]
    public async Task Invalid_utf8_and_unknown_verbs_get_400_and_the_connection_stays()
    {
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        await alice.SendBytes([(byte)'S', (byte)'A', (byte)'Y', (byte)' ', 0xC3, 0x28, (byte)'\n']);
        await alice.Expect("ERROR 400 line is not valid UTF-8");
        await alice.Send("DANCE now");
        await alice.Expect("ERROR 400 unknown command DANCE");
        await alice.Send("SAY still here");
        await alice.Expect("MESSAGE 2 alice still here");
    }

    [Fact]
    public async Task No_login_within_the_timeout_gets_bye_login_timeout()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = TestServer.Start(clock: clock);
        await using var client = await server.Connect();
        await client.ExpectHello();
        await client.Send("PING before");
        await client.Expect("PONG before"); // the room knows the connection, at the fake time
        clock.Advance(TimeSpan.FromSeconds(29));
        await client.Send("PING still in time");
        await client.Expect("PONG still in time");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["BYE login timeout"], await client.ExpectClosed());
    }

    [Fact]
    public async Task A_silent_connection_is_pinged_and_dropped_when_it_does_not_answer()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = TestServer.Start(clock: clock);
        await using var alice = await server.Login("alice");
        await using var bob = await server.Login("bob");
        await alice.Expect("JOINED 2 bob");

        clock.Advance(TimeSpan.FromSeconds(61));
        await alice.Expect("PING keepalive");
        await bob.Expect("PING keepalive");
        // bob answers; his PING after it comes back only once the room has applied the PONG too.
        await bob.Send("PONG keepalive");
        await bob.Send("PING applied");
        await bob.Expect("PONG applied");

        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(["BYE ping timeout"], await alice.ExpectClosed());
        // bob was silent as long and is pinged in the same tick; alice's LEFT follows once the log commits it.
        await bob.Expect("PING keepalive");
        await bob.Expect("LEFT 3 alice ping timeout");
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_and_the_room_goes_on()
    {
        await using var server = TestServer.Start(l => l with
        {
            SendQueueBytes = 256 * 1024,
            SocketSendBufferBytes = 4096,
            RateLimitEnabled = false,
        });
        // The stalled client logs in, then never reads again; its kernel receive buffer is tiny.
        using var stalled = new TcpClient(AddressFamily.InterNetwork) { ReceiveBufferSize = 1024 };
        await stalled.ConnectAsync(server.Endpoint.Address, server.Endpoint.Port);
        await stalled.GetStream().WriteAsync(Encoding.UTF8.GetBytes($"LOGIN carol {TestServer.Accounts["carol"]}\n"));
        await server.Logs.WaitFor(l => l.Contains("login accepted: carol"), "carol logged in");

        await using var alice = await server.Login("alice");
        await using var bob = await server.Login("bob");
        var text = new string('z', 1000);
        var sent = 0;
        // alice and bob chat at the pace their own reading allows (bob sees each batch before the next);
        // carol reads nothing, so only her queue grows.
        while (sent < 5000 && !server.Logs.Lines.Any(l => l.Contains("send queue exceeded for carol")))
        {
            var batch = string.Concat(Enumerable.Range(sent, 50).Select(i => $"SAY {i} {text}\n"));
            await alice.SendBytes(Encoding.UTF8.GetBytes(batch));
            sent += 50;
            var last = $" alice {sent - 1} {text}";
            await bob.WaitFor(l => l.EndsWith(last), $"message {sent - 1}");
        }
        await server.Logs.WaitFor(l => l.Contains("send queue exceeded for carol"), "about carol's queue");
        // The LEFT may come between two of alice's messages, so look at everything bob has seen.
        await bob.WaitSeen(l => l.StartsWith("LEFT ") && l.EndsWith(" carol send queue exceeded"), "carol left");
        await alice.Send("SAY after carol");
        await bob.WaitFor(l => l.EndsWith(" alice after carol"), "alice's message after carol was dropped");
        var bobMessages = bob.Seen.Count(l => l.StartsWith("MESSAGE "));
        Assert.Equal(sent + 1, bobMessages); // nothing lost for the readers
    }

    [Fact]
    public async Task Flooding_past_the_burst_gets_429_and_nothing_is_silently_dropped()
    {
        await using var server = TestServer.Start(l => l with { RateBurst = 5, RatePerSecond = 1 });
        await using var alice = await server.Login("alice");
        var payload = string.Concat(Enumerable.Range(0, 12).Select(i => $"SAY flood {i}\n"));
        await alice.SendBytes(Encoding.UTF8.GetBytes(payload));
        var answers = new List<string>();
        for (var i = 0; i < 12; i++) answers.Add((await alice.Next())!);
        var messages = answers.Count(a => a.StartsWith("MESSAGE "));
        var refused = answers.Count(a => a.StartsWith("ERROR 429 too fast"));
        Assert.Equal(12, messages + refused);
        Assert.InRange(messages, 5, 6);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_from_one_address_start_a_cooldown()
    {
        await using var server = TestServer.Start(l => l with { MaxFailedLogins = 3 });
        for (var i = 0; i < 3; i++)
        {
            await using var guess = await server.Connect();
            await guess.ExpectHello();
            await guess.Send($"LOGIN alice guess{i}");
            Assert.Equal(["DENIED invalid nickname or password"], await guess.ExpectClosed());
        }
        await using var right = await server.Connect();
        await right.ExpectHello();
        await right.Send($"LOGIN alice {TestServer.Accounts["alice"]}");
        Assert.Equal(["DENIED too many attempts"], await right.ExpectClosed());
    }

    [Fact]
    public async Task Past_the_connection_limit_a_member_keeps_its_place_and_an_anonymous_connection_makes_room()
    {
        await using var server = TestServer.Start(l => l with { MaxConnections = 2 });
        await using var alice = await server.Login("alice");
        await using var idle = await server.Connect();
        await idle.ExpectHello();
        await using var newcomer = await server.Connect();
        await newcomer.ExpectHello();
        Assert.Equal(["BYE server full"], await idle.ExpectClosed());
        await using var bob = await server.Login("bob", from: newcomer);
        await using var third = await server.Connect();
        Assert.Equal(["BYE server full"], await third.ExpectClosed());
        await alice.Send("SAY still here");
        await alice.Expect("JOINED 2 bob");
        await alice.Expect("MESSAGE 3 alice still here");
    }

    [Fact]
    public async Task Past_the_per_address_limit_a_new_connection_gets_bye_too_many_connections()
    {
        await using var server = TestServer.Start(l => l with { MaxConnectionsPerAddress = 1 });
        await using var one = await server.Connect();
        await one.ExpectHello();
        await using var two = await server.Connect();
        Assert.Equal(["BYE too many connections from your address"], await two.ExpectClosed());
        await server.Logs.WaitFor(l => l.Contains("too many connections from your address"), "about the refusal");
    }
}
