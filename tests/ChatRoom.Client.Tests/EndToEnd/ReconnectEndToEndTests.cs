using System.Globalization;
using System.Text.Json;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>The real <c>chatroom</c> against a real server that restarts, its room log (SQLite) keeping the seqs.</summary>
public class ReconnectEndToEndTests
{
    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.GetBoolean();

    private static string? Text(JsonElement e) => e.TryGetProperty("text", out var t) ? t.GetString() : null;

    [Fact]
    public async Task A_script_with_reconnect_survives_a_restart_and_is_shown_only_what_it_missed()
    {
        await using var room = TestRoom.Start(durable: true);
        await using var alice = room.Client("alice",
            "/wait bob: before 20\n/wait bob: while you were away 30\nback again\n", "--json", "--reconnect", "--trace");
        await alice.Welcomed();
        await TestRoom.SayRaw(room.Port, "bob", "before");
        await alice.WaitForLine(line => line.Contains("\"text\":\"before\""), "bob's message before the restart");

        // Said while alice cannot be connected: on another port, to the same room log.
        await room.Restart(port => TestRoom.SayRaw(port, "bob", "while you were away"));

        Assert.Equal(0, await alice.Exit());
        var events = alice.Events;
        var missed = Assert.Single(events, e => Text(e) == "while you were away");
        Assert.True(Flag(missed, "history") && Flag(missed, "missed"), missed.ToString());
        Assert.Single(events, e => Text(e) == "before");
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "bye" && e.GetProperty("reason").GetString() == "server shutting down");
        Assert.Equal(2, events.Count(e => e.GetProperty("type").GetString() == "welcome"));
        // What she said after coming back went through, after what she missed.
        var back = Assert.Single(events, e => Text(e) == "back again");
        Assert.True(back.GetProperty("seq").GetInt64() > missed.GetProperty("seq").GetInt64());
        Assert.Contains("reconnecting in", alice.Stderr);
        Assert.Contains("reconnected", alice.Stderr);
        Assert.DoesNotContain(TestRoom.Passwords["alice"], alice.Stderr + string.Join('\n', alice.Stdout));
    }

    [Fact]
    public async Task A_script_without_reconnect_keeps_exit_code_3_when_the_server_restarts()
    {
        await using var room = TestRoom.Start(durable: true);
        await using var alice = room.Client("alice", null, "--json");
        await alice.Welcomed();
        await room.Restart();
        Assert.Equal(3, await alice.Exit());
        Assert.Contains("server shutting down", alice.Stderr);
    }

    [Fact]
    public async Task A_client_with_a_token_file_comes_back_with_the_token()
    {
        await using var room = TestRoom.Start(durable: true);
        var folder = Path.Combine(Path.GetTempPath(), "chatroom-reconnect-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "carol.token");
        await using var carol = room.Client("carol", "/wait bob: hello carol 30\n", "--json", "--reconnect", "--token-file", file, "--trace");
        await carol.Welcomed();
        await carol.WaitForStderr(line => line.StartsWith("stay logged in:", StringComparison.Ordinal), "the token kept");
        await room.Restart();
        await TestRoom.SayRaw(room.Port, "bob", "hello carol");
        Assert.Equal(0, await carol.Exit());
        Assert.Contains("> RESUME carol ***", carol.Stderr);
        Assert.Single(carol.Stderr.Split('\n'), l => l.StartsWith("> LOGIN carol", StringComparison.Ordinal));
        Directory.Delete(folder, recursive: true);
    }
}
