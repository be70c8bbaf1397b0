using System.Diagnostics;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// Attacks on the room's inbox (issue 9, item 2): lines that cost the server work while members chat. The
/// members' SAY round trip is reported per phase, filed by when a line was sent ("quiet" before the flood,
/// "flood", "after" the flood), plus what never arrived.
/// </summary>
public static class FloodAttacks
{
    private static readonly TimeSpan SayEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(60);

    /// <summary>2a: <paramref name="connections"/> anonymous connections send PONG lines for <paramref name="flood"/>.</summary>
    public static async Task<Report> PongFlood(Target target, int members, int connections, TimeSpan flood, TimeSpan after, TextWriter log)
    {
        var report = new Report("pong-flood", target.Wire.Name).Set("members", members).Set("connections", connections)
            .Set("flood_sec", flood.TotalSeconds);
        await using var crowd = await Members.Open(target, members, log);
        var meter = new ChatMeter(crowd, target.Wire, SayEvery);
        await using var watch = new ServerWatch(target.ServerPid, TimeSpan.FromMilliseconds(100));
        using var chatStop = new CancellationTokenSource();
        var chatting = meter.Run(chatStop.Token);
        meter.Mark("quiet");
        await Task.Delay(TimeSpan.FromSeconds(2));

        meter.Mark("flood");
        var pong = new LineFlood(target, "PONG x");
        using (var floodStop = new CancellationTokenSource(flood))
            await pong.Run(connections, i => Sources.Attacker(i / 16), 1000, floodStop.Token);
        log.WriteLine($"  flood over: {pong.BytesSent / 1e6:0} MB of PONG sent, {pong.CutOff} connections cut off");
        meter.Mark("after");
        await Task.Delay(after);
        await chatStop.CancelAsync();
        await chatting;
        var drain = Stopwatch.StartNew();
        await meter.Drain(TimeSpan.FromSeconds(10), DrainLimit);
        log.WriteLine($"  drained {drain.Elapsed.TotalSeconds:0.0} s after the last SAY");
        return meter.Into(watch.Into(report), "quiet", "flood", "after")
            .Set("flood_mb_sent", pong.BytesSent / 1e6)
            .Set("flood_cut_off", pong.CutOff)
            .Set("drain_seconds", drain.Elapsed.TotalSeconds)
            .Set("members_dropped", crowd.Dropped)
            .Set("members_429", crowd.Clients.Sum(c => c.TooFast));
    }

    /// <summary>2b: one member (the last) floods SAY for <paramref name="flood"/> while the others chat.</summary>
    public static async Task<Report> SayFlood(Target target, int members, TimeSpan flood, TextWriter log)
    {
        var report = new Report("say-flood", target.Wire.Name).Set("members", members).Set("flood_sec", flood.TotalSeconds);
        await using var crowd = await Members.Open(target, members + 1, log);
        var flooder = crowd.Clients[^1];
        var chatters = crowd.Clients.Take(members).ToList();
        var meter = new ChatMeter(chatters, chatters, target.Wire, SayEvery);
        await using var watch = new ServerWatch(target.ServerPid, TimeSpan.FromMilliseconds(100));
        using var chatStop = new CancellationTokenSource();
        var chatting = meter.Run(chatStop.Token);
        meter.Mark("quiet");
        await Task.Delay(TimeSpan.FromSeconds(2));

        meter.Mark("flood");
        var start = Stopwatch.GetTimestamp();
        var lines = Attackers.Repeat("SAY flood", 64 * 1024);
        long sent = 0;
        using (var floodStop = new CancellationTokenSource(flood))
        {
            try
            {
                while (!floodStop.IsCancellationRequested && !flooder.Closed)
                {
                    await flooder.Send(lines).AsTask().WaitAsync(floodStop.Token);
                    sent += lines.Length;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
            }
        }
        meter.Mark("after");
        await Task.Delay(TimeSpan.FromSeconds(5));
        await chatStop.CancelAsync();
        await chatting;
        await meter.Drain(TimeSpan.FromSeconds(10), DrainLimit);
        var cutAfter = flooder.Closed ? (flooder.ClosedTimestamp - start) / (double)Stopwatch.Frequency : double.NaN;
        log.WriteLine($"  flooder sent {sent / 1e6:0} MB, got {flooder.TooFast} ERROR 429, disconnected: {flooder.Closed} ({flooder.CloseLine ?? "-"})");
        return meter.Into(watch.Into(report), "quiet", "flood", "after")
            .Set("flooder_mb_sent", sent / 1e6)
            .Set("flooder_429", flooder.TooFast)
            .Set("flooder_disconnected", flooder.Closed)
            .Set("flooder_disconnected_after_sec", cutAfter)
            .Set("flooder_bye", flooder.CloseLine ?? "")
            .Set("members_dropped", chatters.Count(c => c.Dropped));
    }
}
