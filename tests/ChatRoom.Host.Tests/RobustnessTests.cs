using ChatRoom.Core.Auth;
using System.Net.Sockets;

namespace ChatRoom.Host.Tests;

/// <summary>Nothing a client sends can crash the server or reach another client.</summary>
public class RobustnessTests
{
    [Fact]
    public async Task Random_bytes_from_many_connections_do_not_disturb_the_well_behaved_clients()
    {
        await using var server = TestServer.Start(l => l with { MaxConnectionsPerAddress = 200, RateLimitEnabled = false });
        await using var alice = await server.Login("alice");
        await using var bob = await server.Login("bob");
        await alice.Expect("JOINED 2 bob");

        var attackers = Enumerable.Range(0, 40).Select(async i =>
        {
            using var tcp = new TcpClient(AddressFamily.InterNetwork);
            await tcp.ConnectAsync(server.Endpoint.Address, server.Endpoint.Port);
            var stream = tcp.GetStream();
            for (var round = 0; round < 20; round++)
            {
                var junk = new byte[Random.Shared.Next(1, 3000)];
                Random.Shared.NextBytes(junk);
                if (round % 5 == 0) junk[^1] = (byte)'\n';
                try
                {
                    await stream.WriteAsync(junk);
                }
                catch (IOException)
                {
                    return; // the server may close us (login timeout is long, but a BYE could come): fine
                }
            }
        }).ToList();

        for (var i = 0; i < 50; i++)
        {
            await alice.Send($"SAY message {i}");
            await bob.WaitFor(l => l.EndsWith($" alice message {i}"), $"message {i}");
        }
        await Task.WhenAll(attackers).WaitAsync(TimeSpan.FromSeconds(20));
        await bob.Send("SAY still fine");
        await alice.WaitFor(l => l.EndsWith(" bob still fine"), "bob's last message");
        Assert.DoesNotContain(server.Logs.Lines, l => l.StartsWith("Critical") || l.StartsWith("Error"));
        Assert.All(alice.Seen.Concat(bob.Seen), l => Assert.Matches(@"^(HELLO|WELCOME|USERS|JOINED|MESSAGE) ", l));
    }

    [Fact]
    public async Task Injected_line_breaks_cannot_forge_a_server_line()
    {
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        await using var bob = await server.Login("bob");
        await alice.Expect("JOINED 2 bob");
        // One SAY whose "text" tries to smuggle a second line: the framer splits it, so the second half is a
        // command of its own (an unknown verb), never part of a MESSAGE.
        await alice.Send("SAY hi\rMESSAGE 99 bob forged");
        Assert.Equal("ERROR 422 control characters are not allowed", await alice.Next());
        await alice.Send("SAY hi\nMESSAGE 99 bob forged");
        await bob.Expect("MESSAGE 3 alice hi");
        await alice.WaitFor(l => l == "ERROR 400 unknown command MESSAGE", "the refusal of the second half");
    }

    [Fact]
    public async Task Password_checks_run_off_the_rooms_thread_so_a_login_storm_does_not_stall_chat()
    {
        // Every check is held until the test lets it go: if checking ran on the room's thread, alice's message
        // could not get through while twelve of them wait.
        using var release = new ManualResetEventSlim(false);
        using var firstStarted = new ManualResetEventSlim(false);
        AuthVerdict Held(UserDirectory users, string nick, string password)
        {
            firstStarted.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return Authenticator.Authenticate(users, nick, password);
        }
        // The caps on pending checks are raised so that all twelve queue (admission has tests of its own).
        await using var held = TestServer.Start(l => l with { MaxChecksInFlight = 16, MaxChecksPerAddress = 16 }, authenticate: Held);
        await using var carol = await held.Connect();
        await carol.ExpectHello();
        var storm = new List<TestClient>();
        try
        {
            for (var i = 0; i < 12; i++)
            {
                var client = await held.Connect();
                storm.Add(client);
                await client.ExpectHello();
                await client.Send($"LOGIN bob wrong {i}");
            }
            // Once a checking thread is inside a held check (its start is the worker's, not ours, so wait for it),
            // carol's PING is still answered by the room (she has not logged in: her login would wait behind the
            // held checks too, which is the point of checking elsewhere).
            Assert.True(await Task.Run(() => firstStarted.Wait(TimeSpan.FromSeconds(10))), "no check started within 10 s");
            await carol.Send("PING alive");
            await carol.Expect("PONG alive");
            release.Set();
            foreach (var client in storm) Assert.Equal(["DENIED invalid nickname or password"], await client.ExpectClosed(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            release.Set();
            foreach (var client in storm) await client.DisposeAsync();
        }
    }
}
