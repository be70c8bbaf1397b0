using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace ChatRoom.Host.Tests;

/// <summary>The hostile-load rules that need the real executable: shutdown under a flood, a port in use, typos, a stuck log reader.</summary>
public class HostileProcessTests
{
    private static readonly string[] Cheap = ["--HashIterations", "1000"];

    [Fact]
    public async Task A_second_server_on_the_same_port_exits_1_with_a_message_naming_the_address()
    {
        using var dir = new TempDir();
        using var other = new TempDir(); // a data folder of its own: two servers never share one (its room log is locked)
        using var first = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]);
        var endpoint = await first.Listening();
        using var second = HostProcess.Start(other.Path, [.. Cheap, "--port", endpoint.Port.ToString()]);
        Assert.Equal(1, await second.Exited());
        Assert.Contains($"error: cannot listen on 127.0.0.1:{endpoint.Port}: Address already in use", second.Output);
        Assert.DoesNotContain("listening on", second.Output);
    }

    [Theory]
    [InlineData(new[] { "--prot", "7001" }, "unknown option '--prot'")]
    [InlineData(new[] { "--Limits:RateBrust", "50" }, "unknown option '--Limits:RateBrust'")]
    [InlineData(new[] { "7001" }, "unexpected argument '7001'")]
    public async Task Unknown_options_are_refused_by_name(string[] args, string message)
    {
        using var dir = new TempDir();
        using var host = HostProcess.Start(dir.Path, args);
        Assert.Equal(1, await host.Exited());
        Assert.Contains(message, host.Output);
    }

    [Fact]
    public async Task Unknown_settings_in_the_environment_are_refused_by_name()
    {
        using var dir = new TempDir();
        using var host = HostProcess.StartWith(dir.Path, null, new Dictionary<string, string> { ["CHATROOM_LIMITS__RATEBRUST"] = "50" });
        Assert.Equal(1, await host.Exited());
        Assert.Contains("unknown setting 'limits:ratebrust'", host.Output, StringComparison.OrdinalIgnoreCase); // the section's case depends on the providers
    }

    [Fact]
    public async Task Shutdown_during_a_flood_says_bye_to_every_member_and_exits_0_within_5_seconds()
    {
        using var dir = new TempDir();
        using var host = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]);
        var endpoint = await host.Listening();
        var members = new List<TestClient>();
        foreach (var nick in new[] { "alice", "bob", "carol" })
        {
            var password = Regex.Match(host.Output, $@"^\s+{nick}\s+(\S+)$", RegexOptions.Multiline).Groups[1].Value;
            var member = await TestClient.Connect(endpoint);
            members.Add(member);
            await member.ExpectHello();
            await member.Send($"LOGIN {nick} {password}");
            await member.Expect($"WELCOME {nick}");
        }

        // Sixteen connections from four addresses flood PONG (reconnecting when cut off) until the server stops.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var flood = Enumerable.Range(0, 16).Select(i => Flood(endpoint, IPAddress.Parse($"127.0.1.{1 + i % 4}"), stop.Token)).ToList();
        // The point is what shutdown does behind a flood: wait until the server is cutting flooders off.
        await host.WaitForOutput(o => o.Contains("flooding"), "about the flood");

        var clock = Stopwatch.StartNew();
        host.Terminate();
        foreach (var member in members)
            Assert.Equal("BYE server shutting down", (await member.ExpectClosed(TimeSpan.FromSeconds(5))).LastOrDefault());
        Assert.Equal(0, await host.Exited(10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        await stop.CancelAsync();
        await Task.WhenAll(flood);
        foreach (var member in members) await member.DisposeAsync();
    }

    [Fact]
    public async Task A_log_reader_that_stops_reading_does_not_stall_chat()
    {
        using var dir = new TempDir();
        var port = FreePort();
        // Every connection logs a line at Debug level, and nobody reads the output: the 64 KiB pipe fills after a
        // few hundred lines, and a logger that waited for it would freeze the room.
        using var host = HostProcess.StartUnread(dir.Path, [.. Cheap, "--port", port.ToString(), "--open-registration", "true",
            "--Logging:LogLevel:Default", "Debug", "--Limits:MaxConnectionsPerAddress", "100000", "--Limits:MaxAnonymousPerAddress", "100000", "--Limits:LogQueueLines", "64"]);
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        await WaitUntilListening(endpoint);
        for (var i = 0; i < 1500; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint);
            await socket.SendAsync("QUIT\n"u8.ToArray());
        }
        await using var alice = await TestClient.Connect(endpoint);
        await alice.ExpectHello();
        await alice.Send("LOGIN newcomer some password");
        await alice.Expect("WELCOME newcomer");
        await alice.ExpectStartsWith("USERS");
        await alice.Send("SAY the room is not frozen");
        await alice.WaitFor(l => l.EndsWith("the room is not frozen"), "with the message", TimeSpan.FromSeconds(5));
    }

    private static async Task Flood(IPEndPoint server, IPAddress from, CancellationToken stop)
    {
        var lines = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("PONG flood\n", 400)));
        for (var connects = 0; connects < 1000 && !stop.IsCancellationRequested; connects++)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(server, stop);
                for (var i = 0; i < 1000 && !stop.IsCancellationRequested; i++) await socket.SendAsync(lines, stop);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task WaitUntilListening(IPEndPoint endpoint)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await probe.ConnectAsync(endpoint);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(50); // the server is starting; a refused connect returns at once
            }
        }
    }
}
