using System.Text.RegularExpressions;

namespace ChatRoom.Host.Tests.Cluster;

/// <summary>
/// Several hosts serving one room on a real nats-server (in-process hosts over real sockets): one order, one seq,
/// nicknames unique across hosts, whispers and WHO across hosts, and NATS going away and coming back.
/// </summary>
public sealed partial class ClusterRoomTests
{
    private static ClusterOptions On(NatsServer nats, double hostTimeout = 10) =>
        new() { Url = nats.Url, Room = "test" + Guid.NewGuid().ToString("N")[..8], HostTimeoutSeconds = hostTimeout };

    private static TestServer Host(ClusterOptions cluster, int burst = 20) =>
        TestServer.Start(l => l with { RateBurst = burst, RatePerSecond = burst }, openRegistration: true, cluster: cluster);

    private static async Task<TestClient> Join(TestServer host, string nick)
    {
        var client = await host.Connect();
        await client.ExpectHello();
        await client.Send($"LOGIN {nick} pw-{nick}");
        await client.WaitFor(l => l == $"WELCOME {nick}", $"WELCOME {nick}", TimeSpan.FromSeconds(20));
        return client;
    }

    [Fact]
    public async Task Thirty_members_on_three_hosts_receive_the_same_3000_messages_in_the_same_order_with_the_same_seqs()
    {
        using var nats = NatsServer.StartNew();
        var cluster = On(nats);
        await using var a = Host(cluster, burst: 200);
        await using var b = Host(cluster, burst: 200);
        await using var c = Host(cluster, burst: 200);
        TestServer[] hosts = [a, b, c];
        var clients = new List<TestClient>();
        try
        {
            for (var i = 0; i < 30; i++) clients.Add(await Join(hosts[i % 3], $"u{i}"));
            // Everyone is in before anyone speaks: the last to join sees the 29 before it in USERS.
            foreach (var client in clients) await client.WaitSeen(l => l.Contains("u29"), "u29 joined", TimeSpan.FromSeconds(20));

            await Task.WhenAll(clients.Select(async (client, i) =>
            {
                for (var k = 0; k < 100; k++) await client.Send($"SAY m{i}-{k}");
            }));
            var received = await Task.WhenAll(clients.Select(async client =>
            {
                var messages = new List<string>();
                while (messages.Count < 3000)
                {
                    var line = await client.WaitFor(l => l.StartsWith("MESSAGE ") || l.StartsWith("ERROR "), "a message", TimeSpan.FromSeconds(30));
                    Assert.False(line.StartsWith("ERROR "), line);
                    messages.Add(line);
                }
                return messages;
            }));

            var first = received[0];
            Assert.Equal(3000, first.Distinct().Count());
            var seqs = first.Select(l => long.Parse(l.Split(' ')[1])).ToList();
            Assert.True(Enumerable.Range(1, seqs.Count - 1).All(i => seqs[i] > seqs[i - 1]), "seqs increase");
            for (var i = 1; i < received.Length; i++) Assert.Equal(first, received[i]);
            // Each sender's own messages come in the order it sent them.
            for (var i = 0; i < 30; i++)
                Assert.Equal(Enumerable.Range(0, 100).Select(k => $"m{i}-{k}"),
                    first.Where(l => l.Split(' ')[2] == $"u{i}").Select(l => l.Split(' ', 4)[3]));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_hosts_admitting_the_same_nickname_at_once_let_exactly_one_in()
    {
        using var nats = NatsServer.StartNew();
        var cluster = On(nats);
        await using var a = Host(cluster);
        await using var b = Host(cluster);
        await using var watcher = await Join(a, "watcher");
        for (var round = 0; round < 15; round++)
        {
            var nick = $"race{round}";
            await using var onA = await a.Connect();
            await using var onB = await b.Connect();
            await onA.ExpectHello();
            await onB.ExpectHello();
            await Task.WhenAll(onA.Send($"LOGIN {nick} pw-{nick}"), onB.Send($"LOGIN {nick} pw-{nick}"));
            var answers = await Task.WhenAll(
                onA.WaitFor(l => l.StartsWith("WELCOME") || l.StartsWith("ERROR 409"), "WELCOME or 409"),
                onB.WaitFor(l => l.StartsWith("WELCOME") || l.StartsWith("ERROR 409"), "WELCOME or 409"));
            Assert.Single(answers, l => l == $"WELCOME {nick}");
            Assert.Single(answers, l => l.StartsWith("ERROR 409"));

            // Both hosts list the nickname once.
            foreach (var host in new[] { a, b })
            {
                await using var who = await Join(host, $"who{round}{(host == a ? "a" : "b")}");
                await who.Send("WHO");
                var users = await who.WaitFor(l => l.StartsWith("USERS ") && l.Contains("who" + round), "USERS");
                Assert.Single(users.Split(' '), n => n == nick);
            }
        }
        // The watcher saw each winner join once.
        await watcher.Send("SAY end");
        await watcher.WaitFor(l => l.EndsWith("watcher end"), "its own message");
        for (var round = 0; round < 15; round++) Assert.Single(watcher.Seen, l => l.StartsWith("JOINED ") && l.EndsWith($" race{round}"));
    }

    [Fact]
    public async Task Whispers_and_WHO_reach_members_of_another_host()
    {
        using var nats = NatsServer.StartNew();
        var cluster = On(nats);
        await using var a = Host(cluster);
        await using var b = Host(cluster);
        await using var ann = await Join(a, "ann");
        await using var ben = await Join(b, "ben");
        await ann.WaitSeen(l => l.EndsWith(" ben"), "JOINED ben");
        await ann.Send("WHISPER BEN just for you");
        await ann.WaitFor(l => l == "WHISPER ann ben just for you", "the echo");
        await ben.WaitFor(l => l == "WHISPER ann ben just for you", "the whisper");
        await ben.Send("WHO");
        await ben.WaitFor(l => l == "USERS ann ben", "both hosts' members");
        await ben.Send("WHISPER nobody hello");
        await ben.WaitFor(l => l == "ERROR 404 no such user: nobody", "no such user");
    }

    [Fact]
    public async Task When_NATS_is_away_messages_are_refused_plainly_and_after_it_returns_nothing_is_lost_or_doubled()
    {
        using var nats = NatsServer.StartNew();
        var cluster = On(nats, hostTimeout: 2);
        await using var a = Host(cluster);
        await using var b = Host(cluster);
        await using var ann = await Join(a, "ann");
        await using var ben = await Join(b, "ben");
        await ann.WaitSeen(l => l.EndsWith(" ben"), "JOINED ben");
        await ann.Send("SAY before");
        await ben.WaitFor(l => l.EndsWith("ann before"), "before");

        nats.Stop();
        var stopped = DateTime.UtcNow;
        await a.Logs.WaitFor(l => l.Contains("lost the connection to NATS"), "the host noticing", 10);
        await ann.Send("SAY during");
        var refusal = await ann.WaitFor(l => l.StartsWith("ERROR 503") || l.EndsWith("ann during"), "an answer");
        Assert.Equal("ERROR 503 the room log is unavailable: message not sent, try again later", refusal);
        var away = TimeSpan.FromSeconds(5) - (DateTime.UtcNow - stopped);
        if (away > TimeSpan.Zero) await Task.Delay(away); // NATS stays away for 5 s: the outage is the point
        nats.Start();

        // Once the hosts are back, messages go through again; the first tries may still be refused.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var sent = new List<string>();
        while (true)
        {
            var text = $"after{sent.Count}";
            await ann.Send($"SAY {text}");
            var answer = await ann.WaitFor(l => l.StartsWith("ERROR 503") || l.EndsWith($"ann {text}"), "an answer");
            sent.Add(text);
            if (!answer.StartsWith("ERROR")) break;
            Assert.True(DateTime.UtcNow < deadline, "the room came back within 20 s");
            await Task.Delay(200);
        }
        await ben.WaitFor(l => l.EndsWith($"ann {sent[^1]}"), "the first message after");
        await ann.Send("SAY last");
        await ben.WaitFor(l => l.EndsWith("ann last"), "the last");

        var messages = ben.Seen.Where(l => l.StartsWith("MESSAGE ")).ToList();
        Assert.Equal(messages.Count, messages.Distinct().Count());
        Assert.Equal(["before", sent[^1], "last"], messages.Select(l => l.Split(' ', 4)[3]));
        var seqs = messages.Select(l => long.Parse(l.Split(' ')[1])).ToList();
        Assert.True(Enumerable.Range(1, seqs.Count - 1).All(i => seqs[i] > seqs[i - 1]), "seqs increase");
        // NATS was away longer than the host timeout: nobody was declared lost for it, and both stayed connected.
        Assert.DoesNotContain(ben.Seen, l => l.StartsWith("LEFT ") || l.StartsWith("BYE"));
        Assert.DoesNotContain(ann.Seen, l => l.StartsWith("LEFT ") || l.StartsWith("BYE"));
    }

    [Fact]
    public async Task Copies_and_entries_out_of_their_hosts_turn_in_the_stream_change_nothing_on_any_host()
    {
        using var nats = NatsServer.StartNew();
        var cluster = On(nats);
        await using var a = Host(cluster);
        await using var b = Host(cluster);
        await using var ann = await Join(a, "ann");
        await using var ben = await Join(b, "ben");
        await ann.WaitSeen(l => l.EndsWith(" ben"), "JOINED ben");
        await ann.Send("SAY first");
        await ben.WaitFor(l => l.EndsWith("ann first"), "first");

        // What a retry after an outage longer than JetStream's duplicate window stores, and what a retry stores ahead
        // of an earlier entry: ann's message again with its number, and one numbered past a's next.
        await using var raw = new NATS.Client.Core.NatsConnection(new NATS.Client.Core.NatsOpts { Url = nats.Url });
        var js = new NATS.Client.JetStream.NatsJSContext(raw);
        var subject = $"chatroom.{cluster.Room}.events";
        var stored = (await js.GetStreamAsync(JetStreamRoomLog.StreamName(cluster.Room))).Info.State.LastSeq;
        var copy = ClusterCodec.Encode(new ChatRoom.Core.Log.Draft(new ChatRoom.Core.Log.RoomEvent.Message("ann", "first"), DateTimeOffset.UtcNow, default)
            { Host = a.HostId, Number = 2 }); // a's first entry was ann's JOINED
        var ahead = ClusterCodec.Encode(new ChatRoom.Core.Log.Draft(new ChatRoom.Core.Log.RoomEvent.Message("ann", "out of turn"), DateTimeOffset.UtcNow, default)
            { Host = a.HostId, Number = 4 });
        NATS.Client.JetStream.NatsJSExtensions.EnsureSuccess(await js.PublishAsync(subject, copy));
        NATS.Client.JetStream.NatsJSExtensions.EnsureSuccess(await js.PublishAsync(subject, ahead));
        Assert.Equal(stored + 2, (await js.GetStreamAsync(JetStreamRoomLog.StreamName(cluster.Room))).Info.State.LastSeq);

        await ann.Send("SAY second"); // a's third entry: in turn
        await ben.WaitFor(l => l.EndsWith("ann second"), "second");
        await ann.WaitFor(l => l.EndsWith("ann second"), "second, on a");
        await ben.Send("SAY over");
        await ann.WaitFor(l => l.EndsWith("ben over"), "over");
        // Each host hears the stream on its own: ann's copy can come before ben's own.
        await ben.WaitFor(l => l.EndsWith("ben over"), "over, on b");
        foreach (var who in new[] { ann, ben })
        {
            var messages = who.Seen.Where(l => l.StartsWith("MESSAGE ")).Select(l => l.Split(' ', 3)[2]).ToList();
            Assert.Equal(["ann first", "ann second", "ben over"], messages);
        }
        // The skipped entries took their seqs: the next message's seq is the stream's.
        var last = ann.Seen.Last(l => l.StartsWith("MESSAGE "));
        Assert.Equal((long)(await js.GetStreamAsync(JetStreamRoomLog.StreamName(cluster.Room))).Info.State.LastSeq, long.Parse(last.Split(' ')[1]));
    }

    [Fact]
    public async Task A_host_that_starts_later_catches_up_from_the_stream()
    {
        using var nats = NatsServer.StartNew();
        var cluster = On(nats);
        await using var a = Host(cluster);
        await using var ann = await Join(a, "ann");
        for (var i = 0; i < 5; i++) await ann.Send($"SAY early{i}");
        await ann.WaitFor(l => l.EndsWith("ann early4"), "the last early message");

        await using var b = Host(cluster);
        await using var ben = await b.Connect();
        await ben.ExpectHello();
        await ben.Send("PROTOCOL 2");
        await ben.Send("LOGIN ben pw-ben");
        await ben.WaitFor(l => l == "WELCOME ben", "WELCOME");
        await ben.Expect("USERS ann ben");
        await ben.Expect("END USERS 2");
        var history = new List<string>();
        while (await ben.Next() is { } line && !line.StartsWith("END HISTORY")) history.Add(line);
        Assert.Equal(7, history.Count);
        Assert.Matches(HistoryLine(), history[1]);
        Assert.EndsWith("ann early0", history[1]);
        Assert.EndsWith(" ben", history[6]);
    }

    [Fact]
    public async Task A_host_started_on_a_trimmed_stream_knows_who_is_in_the_room_from_the_snapshot()
    {
        using var nats = NatsServer.StartNew();
        var cluster = On(nats) with { SnapshotSeconds = 0.2 };
        var keep = new LogOptions { KeepEvents = 20, HistoryOnJoin = 5 };
        await using var a = TestServer.Start(l => l with { RateBurst = 100 }, openRegistration: true, cluster: cluster, logOptions: keep);
        await using var ann = await Join(a, "ann");
        await using var bea = await Join(a, "bea");
        for (var i = 0; i < 60; i++) await ann.Send($"SAY m{i}"); // the JOINEDs are trimmed from the stream
        await ann.WaitFor(l => l.EndsWith("ann m59"), "the last message");
        await a.Logs.WaitFor(l => l.Contains("snapshot written at seq 62"), "a snapshot covering everything", 10);

        await using var b = TestServer.Start(openRegistration: true, cluster: cluster, logOptions: keep);
        await using var cid = await b.Connect();
        await cid.ExpectHello();
        await cid.Send("PROTOCOL 2");
        await cid.Send("LOGIN cid pw-cid");
        await cid.WaitFor(l => l == "WELCOME cid", "WELCOME");
        await cid.Expect("USERS ann bea cid");
        await cid.Expect("END USERS 3");
        var history = new List<string>();
        while (await cid.Next() is { } line && !line.StartsWith("END HISTORY")) history.Add(line);
        Assert.Equal(5, history.Count);
        Assert.EndsWith("ann m56", history[0]);
        Assert.EndsWith(" cid", history[4]);
        await cid.Send("WHISPER ann hi");
        await ann.WaitFor(l => l == "WHISPER cid ann hi", "the whisper across hosts");
    }

    [GeneratedRegex(@"^HISTORY MESSAGE 2 \d{4}-\d\d-\d\dT[\d:.]+Z ann early0$")]
    private static partial Regex HistoryLine();
}
