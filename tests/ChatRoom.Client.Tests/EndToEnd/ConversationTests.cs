using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>
/// The real <c>chatroom</c> executable against a real server: scripts that talk to each other with <c>/wait</c>,
/// JSON and text output, whispers, refusals and the trace.
/// </summary>
public class ConversationTests
{
    [Fact]
    public async Task Two_scripted_clients_converse_and_both_json_outputs_show_the_same_messages_with_the_same_seqs()
    {
        await using var room = TestRoom.Start();
        await using var alice = room.Client("alice", """
            /wait bob has joined 20
            hello bob, 你好
            /wait bob: hi alice 20
            """, "--json");
        await alice.Welcomed();
        await using var bob = room.Client("bob", """
            /wait alice: hello bob 20
            hi alice
            """, "--json");

        Assert.Equal(0, await bob.Exit());
        Assert.Equal(0, await alice.Exit());

        var seen = alice.Messages();
        Assert.Equal(["hello bob, 你好", "hi alice"], seen.Select(m => m.Text));
        Assert.Equal(["alice", "bob"], seen.Select(m => m.From));
        Assert.True(seen[1].Seq > seen[0].Seq);
        Assert.Equal(seen, bob.Messages());

        // Nothing but JSON events on standard output, and each ends with the server's goodbye.
        Assert.Equal("bye", alice.Events[^1].GetProperty("type").GetString());
        Assert.Equal("bye", bob.Events[^1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Whisper_reaches_only_its_target()
    {
        await using var room = TestRoom.Start();
        await using var alice = room.Client("alice", """
            /wait bob has joined 20
            /wait carol has joined 20
            /msg bob the password is swordfish
            done
            """, "--json");
        await alice.Welcomed();
        await using var bob = room.Client("bob", "/wait swordfish 20\n", "--json");
        await using var carol = room.Client("carol", "/wait alice: done 20\n", "--json");

        Assert.Equal(0, await alice.Exit());
        Assert.Equal(0, await bob.Exit());
        Assert.Equal(0, await carol.Exit());

        var received = Assert.Single(bob.EventsOf("whisper"));
        Assert.Equal("alice", received.GetProperty("from").GetString());
        Assert.Equal("bob", received.GetProperty("to").GetString());
        Assert.Equal("the password is swordfish", received.GetProperty("text").GetString());
        Assert.Single(alice.EventsOf("whisper")); // the sender's copy

        Assert.Contains(carol.Messages(), m => m.Text == "done"); // carol was there, after the whisper was sent
        Assert.DoesNotContain(carol.Stdout, line => line.Contains("swordfish"));
        Assert.Empty(carol.EventsOf("whisper"));
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
    public async Task A_script_longer_than_the_servers_burst_gets_every_line_through_in_order()
    {
        await using var room = TestRoom.Start();
        var lines = Enumerable.Range(1, 30).Select(i => $"line {i}").ToList();
        await using var client = room.Client("alice", string.Join('\n', lines) + "\n", "--json");
        Assert.Equal(0, await client.Exit());
        Assert.Empty(client.EventsOf("error"));
        Assert.Equal(lines, client.Messages().Select(m => m.Text));
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
                     "< HELLO chatroom 3 ", "# state: connecting -> awaiting login", "> PROTOCOL 2", "> LOGIN alice ***", "< PROTOCOL 2",
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
}
