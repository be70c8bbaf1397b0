using ChatRoom.Core.Client;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>
/// The real <c>chatroom</c> executable ending each documented way, with its exit code and a clear message.
/// </summary>
public class ExitCodeTests
{
    [Fact]
    public async Task Wrong_password_exits_2_with_the_servers_reason()
    {
        await using var room = TestRoom.Start();
        await using var client = ChatProcess.Start(["--port", room.Port.ToString(CultureInfo.InvariantCulture), "--user", "alice"],
            "hello\n", "not the password");
        Assert.Equal(2, await client.Exit());
        Assert.Contains("login refused: invalid nickname or password", client.Stderr);
        Assert.Empty(client.Stdout);
    }

    [Fact]
    public async Task Unreachable_port_exits_3_naming_host_and_port()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        await using var client = ChatProcess.Start(["--port", port.ToString(CultureInfo.InvariantCulture), "--user", "alice"],
            "hello\n", "alice pass");
        Assert.Equal(3, await client.Exit());
        Assert.Contains($"cannot connect to 127.0.0.1:{port}", client.Stderr);
    }

    [Theory]
    [InlineData("environment")]
    [InlineData("password file")]
    [InlineData("nickname")]
    public async Task Empty_nickname_or_password_is_refused_before_connecting(string empty)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var passwordFile = Path.GetTempFileName();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
            string[] args = empty switch
            {
                "password file" => ["--port", port, "--user", "alice", "--password-file", passwordFile],
                "nickname" => ["--port", port, "--user", ""],
                _ => ["--port", port, "--user", "alice"],
            };
            await using var client = ChatProcess.Start(args, "hello\n", empty == "nickname" ? "pw" : "");
            Assert.Equal(1, await client.Exit());
            Assert.Contains("nickname and password are required", client.Stderr);
            Assert.False(listener.Pending(), "the client connected although it had no password");
        }
        finally
        {
            listener.Stop();
            File.Delete(passwordFile);
        }
    }

    [Fact]
    public async Task Connection_lost_without_bye_exits_3_and_says_so()
    {
        // A stand-in server that greets, admits, and then drops the connection without a word.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            await using var client = ChatProcess.Start(["--port", port.ToString(CultureInfo.InvariantCulture), "--user", "alice"],
                null, "pw");
            using var deadline = new CancellationTokenSource(ChatProcess.Deadline);
            using (var socket = await listener.AcceptSocketAsync(deadline.Token))
            {
                await using var stream = new NetworkStream(socket);
                await using var writer = new StreamWriter(stream) { NewLine = "\n", AutoFlush = true };
                using var reader = new StreamReader(stream);
                await writer.WriteLineAsync("HELLO chatroom 1");
                Assert.Equal("LOGIN alice pw", await reader.ReadLineAsync(deadline.Token));
                await writer.WriteLineAsync("WELCOME alice");
                await writer.WriteLineAsync("USERS alice");
                await client.WaitForLine(line => line == "* in the room: alice", "the room's users");
            }
            Assert.Equal(3, await client.Exit());
            Assert.Contains($"connection to 127.0.0.1:{port} lost", client.Stderr);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Wait_that_runs_out_exits_4_with_a_clear_message()
    {
        await using var room = TestRoom.Start();
        await using var client = room.Client("alice", "/wait nobody says this 0.5\nnever sent\n", "--json");
        Assert.Equal(4, await client.Exit());
        Assert.Contains("/wait timed out after 0.5 s: no event matched /nobody says this/", client.Stderr);
        Assert.Empty(client.EventsOf("message"));
    }

    [Fact]
    public async Task Server_shutdown_exits_3_and_says_so()
    {
        await using var room = TestRoom.Start();
        await using var client = room.Client("alice", null, "--json");
        await client.Welcomed();

        await room.Server.StopAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, await client.Exit());
        Assert.Contains("closed the connection: server shutting down", client.Stderr);
        Assert.Equal("server shutting down", client.EventsOf("bye").Single().GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Ctrl_c_or_sigterm_leaves_cleanly(string signal)
    {
        // A process started in the background by a non-interactive shell ignores SIGINT, and so do its children
        // (the client keeps a signal it was started ignoring, as Unix programs do): say so rather than time out.
        if (signal == "INT")
            Assert.False(IgnoresSigint(), "this test process ignores SIGINT (started with & from a script?): run the tests in the foreground");
        await using var room = TestRoom.Start();
        await using var client = room.Client("alice", null, "--json");
        await client.Welcomed();

        client.Signal(signal);
        Assert.Equal(0, await client.Exit());
        Assert.Equal("quit", client.EventsOf("bye").Single().GetProperty("reason").GetString());
    }

    private static bool IgnoresSigint()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << 1)) != 0; // bit 1: signal 2
    }

    [Fact]
    public async Task Help_lists_the_exit_codes()
    {
        await using var client = ChatProcess.Start(["--help"], "", null);
        Assert.Equal(0, await client.Exit());
        var help = string.Join('\n', client.Stdout);
        foreach (var (code, meaning) in ExitCodes.All) Assert.Contains($"{code}  {meaning}", help);
        Assert.Contains("--password-file", help);
    }

    [Theory]
    [InlineData("--port", "0")]
    [InlineData("--port", "many")]
    [InlineData("--no-such-option", "x")]
    public async Task Bad_options_exit_1(string option, string value)
    {
        await using var client = ChatProcess.Start(["--user", "alice", option, value], "", "pw");
        Assert.Equal(1, await client.Exit());
    }
}
