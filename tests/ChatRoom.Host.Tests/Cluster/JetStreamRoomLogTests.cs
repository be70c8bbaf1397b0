using System.CommandLine;
using System.Text;
using ChatRoom.Core.Log;
using ChatRoom.Core.Room;
using FsCheck;
using FsCheck.Fluent;

namespace ChatRoom.Host.Tests.Cluster;

/// <summary>The room log on a real JetStream stream, and the stream message format.</summary>
public sealed class JetStreamRoomLogTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 4, 18, 9, 123, TimeSpan.Zero);

    private static JetStreamRoomLog Open(NatsServer nats, string room, string host = "hA") =>
        JetStreamRoomLog.Open(new ClusterOptions { Url = nats.Url, Room = room }, TimeProvider.System, TimeSpan.FromSeconds(10), host)
            .IfFail(e => throw new InvalidOperationException(e.Message));

    private static Draft D(RoomEvent e, int second, long origin = 1, string host = "hA") => new(e, At.AddSeconds(second), new ConnectionId(origin)) { Host = host };

    [Fact]
    public void Appends_are_read_back_in_order_with_the_streams_seq_and_a_retried_batch_is_stored_once()
    {
        using var nats = NatsServer.StartNew();
        using var log = Open(nats, "r1");
        var batch = new List<Draft>
        {
            D(new RoomEvent.Joined("alice"), 0),
            D(new RoomEvent.Message("alice", "hi there"), 1),
            D(new RoomEvent.Left("alice", "") { Host = "hA", Connection = new ConnectionId(1) }, 2),
        };
        Assert.Empty(log.Append(batch)); // committed entries come through the feed, not from Append
        log.Append(batch); // the same drafts again: those stored in turn already are not sent again
        log.Append([D(new RoomEvent.Message("bob", "again"), 3, 7, "hB")]);

        var all = log.Export(0, DateTimeOffset.MinValue).ToList();
        Assert.Equal([1L, 2, 3, 4], all.Select(e => e.Seq));
        Assert.Equal(new LogEntry(2, At.AddSeconds(1), new RoomEvent.Message("alice", "hi there"), new ConnectionId(1)) { Host = "hA" }, all[1]);
        Assert.Equal(new RoomEvent.Left("alice", "") { Host = "hA", Connection = new ConnectionId(1) }, all[2].Event);
        Assert.Equal("hB", all[3].Host);
        Assert.Equal([2L, 3], log.Before(4, 2).Select(e => e.Seq));
        Assert.Equal([1L], log.Before(2, 50).Select(e => e.Seq));
        Assert.Empty(log.Before(1, 50));
        Assert.Equal([4L], log.Export(3, DateTimeOffset.MinValue).Select(e => e.Seq));
    }

    [Fact]
    public void The_feed_gives_every_hosts_entries_in_the_streams_order()
    {
        using var nats = NatsServer.StartNew();
        using var a = Open(nats, "r2", "hA");
        using var b = Open(nats, "r2", "hB");
        a.Append([D(new RoomEvent.Joined("alice"), 0)]);
        b.Append([D(new RoomEvent.Joined("bob"), 1, 3, "hB")]);
        var got = new System.Collections.Concurrent.BlockingCollection<Input>();
        b.Start(i => { got.Add(i); return true; }, () => long.MaxValue);
        var entries = new List<LogEntry>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (entries.Count < 3 && got.TryTake(out var input, deadline - DateTime.UtcNow))
        {
            if (input is Input.Committed c) entries.AddRange(c.Entries);
            if (entries.Count == 2) a.Append([D(new RoomEvent.Message("alice", "live"), 2)]);
        }
        Assert.Equal(["alice", "bob", "alice"], entries.Select(e => e.Event switch { RoomEvent.Joined j => j.Nick, RoomEvent.Message m => m.From, _ => "?" }));
        Assert.Equal([1L, 2, 3], entries.Select(e => e.Seq));
        Assert.Equal(["hA", "hB", "hA"], entries.Select(e => e.Host));
    }

    [Fact]
    public void History_export_with_a_cluster_url_reads_the_stream()
    {
        using var nats = NatsServer.StartNew();
        var cluster = new ClusterOptions { Url = nats.Url, Room = "r3" };
        using (var log = Open(nats, "r3")) log.Append([D(new RoomEvent.Joined("alice"), 0), D(new RoomEvent.Message("alice", "hi \"there\""), 1)]);
        var output = new MemoryStream();
        var error = new StringWriter();
        var root = new RootCommand();
        root.Subcommands.Add(HistoryCommand.Create(_ => LanguageExt.Prelude.FinSucc(new ServerOptions { Data = "/nonexistent", Cluster = cluster }), () => output, error));
        Assert.Equal(0, root.Parse(["history", "export"]).Invoke());
        Assert.Equal(
            """
            {"seq":1,"time":"2026-12-02T04:18:09.123Z","type":"joined","nick":"alice"}
            {"seq":2,"time":"2026-12-02T04:18:10.123Z","type":"message","nick":"alice","text":"hi \"there\""}

            """.ReplaceLineEndings("\n"), Encoding.UTF8.GetString(output.ToArray()));

        nats.Stop();
        error = new StringWriter();
        root = new RootCommand();
        root.Subcommands.Add(HistoryCommand.Create(_ => LanguageExt.Prelude.FinSucc(new ServerOptions { Data = "/nonexistent", Cluster = cluster }), () => output, error));
        Assert.Equal(1, root.Parse(["history", "export"]).Invoke());
        Assert.StartsWith($"error: cannot use the cluster at {nats.Url}", error.ToString());
    }

    [Fact]
    public void The_message_format_round_trips_every_room_event() =>
        Prop.ForAll(Events().ToArbitrary(), Gen.Choose(0, 1_000_000).ToArbitrary(), (e, origin) =>
        {
            var host = origin % 3 == 0 ? "" : "h0123";
            var draft = new Draft(e, At.AddMilliseconds(origin), new ConnectionId(origin)) { Host = host, Number = host.Length > 0 && origin % 2 == 0 ? origin + 1 : 0 };
            var decoded = ClusterCodec.Decode(42, ClusterCodec.Encode(draft));
            return (decoded.Case is LogEntry entry && entry == new LogEntry(42, draft.At, e, draft.Origin) { Host = draft.Host, Number = draft.Number })
                .Label($"{System.Text.Encoding.UTF8.GetString(ClusterCodec.Encode(draft))} -> {decoded}");
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Decoding_never_throws_and_refuses_what_is_not_a_room_event()
    {
        foreach (var bad in new[] { "", "J", "J 1 h 1", "J x h 1 alice", "Q 1 h 1 alice", "M 1 h 1 alice", "J 1 h 1 two words", "L 1 h 1", "M 1 h -5 alice hi", "J 1 h#0 1 alice", "J 1 h#x 1 alice", "J 1 #3 1 alice", "J 1 h#-2 1 alice" })
            Assert.True(ClusterCodec.Decode(1, Encoding.UTF8.GetBytes(bad)).IsFail, bad);
        Assert.True(ClusterCodec.Decode(1, [0xff, 0xfe]).IsFail);
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => ClusterCodec.Decode(1, bytes).IsFail || ClusterCodec.Decode(1, bytes).IsSucc).QuickCheckThrowOnFailure();
    }

    private static Gen<RoomEvent> Events()
    {
        var nick = Gen.Elements("alice", "Bob", "c.d-e_f", "北落");
        var text = Gen.Elements("hi", "two  spaces", " leading", "trailing ", "ünïcödé ✓", "x");
        var reason = Gen.Elements("", "quit", "connection closed", "their server stopped answering");
        var host = Gen.Elements("", "h1", "habcdef012345");
        return Gen.OneOf(
            nick.Select(n => (RoomEvent)new RoomEvent.Joined(n)),
            nick.SelectMany(n => reason.SelectMany(r => host.SelectMany(h => Gen.Choose(0, 99999).Select(c =>
                (RoomEvent)new RoomEvent.Left(n, r) { Host = h, Connection = new ConnectionId(c) })))),
            nick.SelectMany(n => text.Select(t => (RoomEvent)new RoomEvent.Message(n, t))));
    }
}
