using System.Text.Json;
using System.Text.RegularExpressions;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Host.Tests.Log;

/// <summary>The room log as the real server process keeps it: across SIGKILL, restarts and broken files.</summary>
public class RoomLogProcessTests
{
    private static readonly string[] Cheap = ["--HashIterations", "1000"];

    private static Dictionary<string, string> Passwords(HostProcess host) =>
        Regex.Matches(host.Output, @"^\s+(alice|bob|carol)\s+(\S+)$", RegexOptions.Multiline).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    private static async Task<TestClient> Join(System.Net.IPEndPoint endpoint, string nick, string password)
    {
        var client = await TestClient.Connect(endpoint);
        await client.ExpectHello();
        await client.Send("PROTOCOL 2");
        await client.Send($"LOGIN {nick} {password}");
        await client.WaitFor(l => l.StartsWith("END HISTORY", StringComparison.Ordinal), $"{nick}'s history");
        return client;
    }

    /// <summary>The room events a client received (live or as history): seq to (verb, nick, text or reason).</summary>
    private static IEnumerable<(long Seq, string What)> Events(TestClient client)
    {
        foreach (var line in client.Seen)
        {
            var e = EventCodec.Decode(line, 2).Match(x => x, _ => null!);
            if (e is ServerEvent.History h) e = h.Event;
            switch (e)
            {
                case ServerEvent.Message m: yield return (m.Seq, $"message {m.From} {m.Text}"); break;
                case ServerEvent.Joined j: yield return (j.Seq, $"joined {j.Nick}"); break;
                case ServerEvent.Left l: yield return (l.Seq, $"left {l.Nick} {l.Reason}"); break;
            }
        }
    }

    private static async Task<Dictionary<long, string>> Export(TempDir dir)
    {
        using var export = HostProcess.Start(dir.Path, "history", "export", "--format", "jsonl");
        Assert.Equal(0, await export.Exited(30));
        var log = new Dictionary<long, string>();
        var last = 0L;
        foreach (var line in export.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var seq = root.GetProperty("seq").GetInt64();
            Assert.True(seq > last, $"seq {seq} after {last}: a seq was given twice or out of order");
            last = seq;
            var type = root.GetProperty("type").GetString();
            var nick = root.GetProperty("nick").GetString();
            log[seq] = type switch
            {
                "message" => $"message {nick} {root.GetProperty("text").GetString()}",
                "left" => $"left {nick} {root.GetProperty("reason").GetString()}",
                _ => $"joined {nick}",
            };
        }
        return log;
    }

    [Fact]
    public async Task After_kill_9_under_load_every_event_a_client_received_is_in_the_log_and_no_seq_is_given_twice()
    {
        using var dir = new TempDir();
        var received = new Dictionary<long, string>();
        Dictionary<string, string> passwords;
        using (var host = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0", "--Limits:RateLimitEnabled", "false"]))
        {
            var endpoint = await host.Listening();
            passwords = Passwords(host);
            await using var alice = await Join(endpoint, "alice", passwords["alice"]);
            await using var bob = await Join(endpoint, "bob", passwords["bob"]);
            await using var carol = await Join(endpoint, "carol", passwords["carol"]);
            // Two talkers send as fast as they can (a bounded number of lines each), and the server is killed mid-flood.
            var talk = new[] { alice, bob }.Select(c => Task.Run(async () =>
            {
                for (var i = 0; i < 20_000; i++)
                    try { await c.Send($"SAY line {i}"); } catch (Exception) { return; }
            })).ToArray();
            await carol.WaitSeen(_ => carol.Seen.Count(l => l.StartsWith("MESSAGE ", StringComparison.Ordinal)) >= 2_000, "2,000 messages", TimeSpan.FromSeconds(30));
            host.Process.Kill(); // SIGKILL: no goodbye, no flush
            Assert.NotEqual(0, await host.Exited());
            await Task.WhenAll(talk).WaitAsync(TimeSpan.FromSeconds(20));
            foreach (var client in new[] { alice, bob, carol })
                foreach (var (seq, what) in Events(client))
                {
                    Assert.True(!received.TryGetValue(seq, out var other) || other == what, $"seq {seq} was given to '{other}' and '{what}'");
                    received[seq] = what;
                }
        }
        Assert.True(received.Count > 2_000, $"only {received.Count} events received");

        using (var again = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]))
        {
            var endpoint = await again.Listening();
            await using var alice = await Join(endpoint, "alice", passwords["alice"]);
            var log = await Export(dir);
            var missing = received.Where(r => !log.TryGetValue(r.Key, out var kept) || kept != r.Value).Take(5).ToList();
            Assert.True(missing.Count == 0, $"received but not in the log as received: {string.Join("; ", missing)}");
            // Those the killed server left in the room leave now, and the seq goes on past everything received.
            var max = received.Keys.Max();
            var after = log.Where(l => l.Key > max).Select(l => l.Value).ToList();
            foreach (var nick in new[] { "alice", "bob", "carol" }) Assert.Contains($"left {nick} server restarted", after);
            Assert.Equal("joined alice", log[log.Keys.Max()]);
            Assert.Contains(alice.Seen, l => l.StartsWith("HISTORY LEFT", StringComparison.Ordinal) && l.EndsWith("carol server restarted", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_seq_goes_on_after_a_restart_and_the_newcomer_sees_what_was_said_before()
    {
        using var dir = new TempDir();
        Dictionary<string, string> passwords;
        using (var host = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]))
        {
            var endpoint = await host.Listening();
            passwords = Passwords(host);
            await using var alice = await Join(endpoint, "alice", passwords["alice"]);
            await alice.Send("SAY before the restart");
            await alice.WaitFor(l => l.StartsWith("MESSAGE 2 ", StringComparison.Ordinal), "her message");
            host.Terminate();
            Assert.Equal(0, await host.Exited());
        }
        using var again = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]);
        var next = await again.Listening();
        await using var bob = await Join(next, "bob", passwords["bob"]);
        var history = bob.Seen.Where(l => l.StartsWith("HISTORY ", StringComparison.Ordinal)).Select(l => Regex.Replace(l, @" \d{4}-\d\d-\d\dT[\d:.]+Z", "")).ToList();
        Assert.Equal(["HISTORY JOINED 1 alice", "HISTORY MESSAGE 2 alice before the restart", "HISTORY LEFT 3 alice server shutting down", "HISTORY JOINED 4 bob"], history);
    }

    [Fact]
    public async Task A_corrupt_room_log_stops_the_server_at_start_naming_the_file()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "data"));
        var file = Path.Combine(dir.Path, "data", "room.db");
        await File.WriteAllBytesAsync(file, System.Text.Encoding.ASCII.GetBytes(new string('#', 8192)));
        using var host = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]);
        Assert.Equal(1, await host.Exited());
        Assert.Contains(Path.GetFullPath(file), host.Output);
        Assert.DoesNotContain("listening on", host.Output);
    }

    [Fact]
    public async Task A_second_server_on_the_same_data_folder_is_refused_naming_the_log()
    {
        using var dir = new TempDir();
        using var first = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]);
        await first.Listening();
        using var second = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]);
        Assert.Equal(1, await second.Exited());
        Assert.Contains("locked", second.Output);
        Assert.Contains("room.db", second.Output);
    }
}
