using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>
/// The real <c>chatroom</c> executable against a real server: scripts that talk to each other with <c>/wait</c>,
/// JSON and text output, and the trace. Whispers, refusals, pacing and paging back are the reducers' logic, tested
/// in memory (ChatRoom.Core.Tests, Client/ClientsInRoomTests).
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
    public async Task Trace_shows_lines_both_ways_and_state_changes_but_never_the_password()
    {
        await using var room = TestRoom.Start();
        await using var client = room.Client("alice", "hi\n", "--json", "--trace");
        Assert.Equal(0, await client.Exit());

        var trace = client.Stderr;
        foreach (var expected in new[]
                 {
                     "< HELLO chatroom 3 ", "# state: connecting -> awaiting login", "> PROTOCOL 3", "> LOGIN alice ***", "< PROTOCOL 3",
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
