using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>
/// The real <c>chatroom</c> executable against a real server: scripts on standard input, JSON or text on
/// standard output, and the documented exit codes.
/// </summary>
public class ScriptedClientTests
{
    private static Task<string> Welcomed(ChatProcess client) =>
        client.WaitForLine(line => line.Contains("\"type\":\"welcome\""), "welcome event");

    private static IReadOnlyList<(long Seq, string From, string Text)> Messages(ChatProcess client) =>
        client.EventsOf("message")
            .Select(m => (m.GetProperty("seq").GetInt64(), m.GetProperty("from").GetString()!, m.GetProperty("text").GetString()!))
            .ToList();

    [Fact]
    public async Task Two_scripted_clients_converse_and_both_json_outputs_show_the_same_messages_with_the_same_seqs()
    {
        await using var room = TestRoom.Start();
        await using var alice = room.Client("alice", """
            /wait bob has joined
            hello bob, 你好
            /wait bob: hi alice
            """, "--json");
        await Welcomed(alice);
        await using var bob = room.Client("bob", """
            /wait alice: hello bob
            hi alice
            """, "--json");

        Assert.Equal(0, await bob.Exit());
        Assert.Equal(0, await alice.Exit());

        var seen = Messages(alice);
        Assert.Equal(["hello bob, 你好", "hi alice"], seen.Select(m => m.Text));
        Assert.Equal(["alice", "bob"], seen.Select(m => m.From));
        Assert.True(seen[1].Seq > seen[0].Seq);
        Assert.Equal(seen, Messages(bob));

        // Nothing but JSON events on standard output, and each ends with the server's goodbye.
        Assert.Equal("bye", alice.Events[^1].GetProperty("type").GetString());
        Assert.Equal("bye", bob.Events[^1].GetProperty("type").GetString());
    }

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

    [Theory]
    [InlineData("/nick bob")]
    [InlineData("/login bob bob-pass")]
    public async Task Changing_identity_after_joining_is_refused(string line)
    {
        await using var room = TestRoom.Start();
        await using var client = room.Client("alice", $"{line}\n/wait identity cannot be changed 5\n/who\n", "--json", "--trace");
        Assert.Equal(0, await client.Exit());

        var error = Assert.Single(client.EventsOf("error"));
        Assert.Equal(403, error.GetProperty("code").GetInt32());
        Assert.Equal("identity cannot be changed after joining", error.GetProperty("text").GetString());
        Assert.Single(Regex.Matches(client.Stderr, "^> LOGIN ", RegexOptions.Multiline));
        Assert.Equal(["alice"], client.EventsOf("users")[^1].GetProperty("nicks").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task Whisper_reaches_only_its_target()
    {
        await using var room = TestRoom.Start();
        await using var alice = room.Client("alice", """
            /wait bob has joined
            /wait carol has joined
            /msg bob the password is swordfish
            done
            """, "--json");
        await Welcomed(alice);
        await using var bob = room.Client("bob", "/wait swordfish\n", "--json");
        await using var carol = room.Client("carol", "/wait alice: done\n", "--json");

        Assert.Equal(0, await alice.Exit());
        Assert.Equal(0, await bob.Exit());
        Assert.Equal(0, await carol.Exit());

        var received = Assert.Single(bob.EventsOf("whisper"));
        Assert.Equal("alice", received.GetProperty("from").GetString());
        Assert.Equal("bob", received.GetProperty("to").GetString());
        Assert.Equal("the password is swordfish", received.GetProperty("text").GetString());
        Assert.Single(alice.EventsOf("whisper")); // the sender's copy

        Assert.Contains(Messages(carol), m => m.Text == "done"); // carol was there, after the whisper was sent
        Assert.DoesNotContain(carol.Stdout, line => line.Contains("swordfish"));
        Assert.Empty(carol.EventsOf("whisper"));
    }

    [Fact]
    public async Task A_script_longer_than_the_servers_burst_gets_every_line_through_in_order()
    {
        await using var room = TestRoom.Start();
        var lines = Enumerable.Range(1, 30).Select(i => $"line {i}").ToList();
        await using var client = room.Client("alice", string.Join('\n', lines) + "\n", "--json");
        Assert.Equal(0, await client.Exit());
        Assert.Empty(client.EventsOf("error"));
        Assert.Equal(lines, Messages(client).Select(m => m.Text));
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
        await Welcomed(client);

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
        await using var room = TestRoom.Start();
        await using var client = room.Client("alice", null, "--json");
        await Welcomed(client);

        client.Signal(signal);
        Assert.Equal(0, await client.Exit());
        Assert.Equal("quit", client.EventsOf("bye").Single().GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Trace_shows_lines_both_ways_and_state_changes_but_never_the_password()
    {
        await using var room = TestRoom.Start();
        await using var client = room.Client("alice", "hi\n", "--json", "--trace");
        Assert.Equal(0, await client.Exit());

        var trace = client.Stderr;
        foreach (var expected in new[]
                 {
                     "< HELLO chatroom 1", "# state: connecting -> awaiting login", "> LOGIN alice ***",
                     "< WELCOME alice", "# state: awaiting login -> in the room", "> SAY hi", "> QUIT", "< BYE quit",
                     "# state: in the room -> closed",
                 })
            Assert.Contains(expected, trace);
        Assert.DoesNotContain(TestRoom.Passwords["alice"], trace + string.Join('\n', client.Stdout));
        Assert.All(client.Stdout, line => Assert.StartsWith("{", line));
    }

    [Fact]
    public async Task Without_json_a_script_gets_the_transcript_and_can_read_the_password_from_a_file()
    {
        await using var room = TestRoom.Start();
        var passwordFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(passwordFile, TestRoom.Passwords["北落"] + "\n");
            await using var client = ChatProcess.Start(
                ["--port", room.Port.ToString(CultureInfo.InvariantCulture), "--user", "北落", "--password-file", passwordFile],
                "你好，世界\n", password: null);
            Assert.Equal(0, await client.Exit());
            Assert.Contains("* you are in the room as 北落", client.Stdout);
            Assert.Contains(client.Stdout, line => Regex.IsMatch(line, @"^\[\d\d:\d\d\] 北落: 你好，世界$"));
        }
        finally
        {
            File.Delete(passwordFile);
        }
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
