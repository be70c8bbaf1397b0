using System.Globalization;
using System.Text.Json;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>The real <c>chatroom</c> against a real protocol 2 server: history for late joiners, /history, and a reconnect.</summary>
public class HistoryEndToEndTests
{
    private static bool IsHistory(JsonElement e) => e.TryGetProperty("history", out var h) && h.GetBoolean();

    private static async Task Say(TestRoom room, string nick, params string[] lines)
    {
        await using var client = room.Client(nick, string.Join('\n', lines) + "\n", "--json");
        Assert.Equal(0, await client.Exit());
        Assert.Equal(lines, client.EventsOf("message").Where(e => !IsHistory(e)).Select(e => e.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task A_late_joiner_sees_what_was_said_before_apart_from_live_events_with_times()
    {
        await using var room = TestRoom.Start();
        await Say(room, "alice", "first", "second");

        await using var bob = room.Client("bob", "live one\n");
        Assert.Equal(0, await bob.Exit());
        var lines = bob.Stdout.ToList();
        var earlier = lines.IndexOf("— earlier —");
        var now = lines.IndexOf("— now —");
        Assert.True(earlier >= 0 && now > earlier, string.Join('\n', lines));
        var history = lines.Skip(earlier + 1).Take(now - earlier - 1).ToList();
        Assert.Matches(@"^\[\d\d:\d\d\] \* alice has joined$", history[0]);
        Assert.Matches(@"^\[\d\d:\d\d\] alice: first$", history[1]);
        Assert.Matches(@"^\[\d\d:\d\d\] alice: second$", history[2]);
        Assert.Matches(@"^\[\d\d:\d\d\] \* alice has left \(quit\)$", history[3]);
        Assert.Equal(4, history.Count);
        Assert.Contains(lines.Skip(now + 1), line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^\[\d\d:\d\d\] bob: live one$"));
    }

    [Fact]
    public async Task Json_marks_history_events_and_gives_every_room_event_the_servers_time()
    {
        await using var room = TestRoom.Start();
        await Say(room, "alice", "before you came");

        await using var bob = room.Client("bob", "after\n", "--json");
        Assert.Equal(0, await bob.Exit());
        var history = Assert.Single(bob.EventsOf("message"), IsHistory);
        Assert.Equal("before you came", history.GetProperty("text").GetString());
        var live = Assert.Single(bob.EventsOf("message"), e => !IsHistory(e));
        Assert.Equal("after", live.GetProperty("text").GetString());
        Assert.True(live.GetProperty("seq").GetInt64() > history.GetProperty("seq").GetInt64());
        foreach (var e in bob.EventsOf("message"))
            Assert.True(DateTimeOffset.TryParseExact(e.GetProperty("time").GetString(), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));
        Assert.All(bob.Stdout, line => Assert.StartsWith("{", line));
    }

    [Fact]
    public async Task A_client_that_comes_back_with_its_token_sees_only_what_it_missed()
    {
        await using var room = TestRoom.Start();
        var folder = Path.Combine(Path.GetTempPath(), "chatroom-history-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "carol.token");

        await using (var first = room.Client("carol", "seen already\n", "--token-file", file, "--json"))
            Assert.Equal(0, await first.Exit());
        Assert.True(File.Exists(file + ".seen"));
        await Say(room, "alice", "while you were away");

        await using var second = ChatProcess.Start(
            ["--port", room.Port.ToString(CultureInfo.InvariantCulture), "--user", "carol", "--token-file", file, "--json"], "", password: null);
        Assert.Equal(0, await second.Exit());
        var history = second.Events.Where(IsHistory).ToList();
        Assert.Contains(history, e => e.TryGetProperty("text", out var t) && t.GetString() == "while you were away");
        Assert.DoesNotContain(history, e => e.TryGetProperty("text", out var t) && t.GetString() == "seen already");
        Assert.Equal(["carol", "alice", "alice", "alice"],
            history.Select(e => e.TryGetProperty("nick", out var n) ? n.GetString() : e.GetProperty("from").GetString()));
    }
}
