using System.Diagnostics;
using System.Text;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// 5: WHO in a big room. <paramref name="members"/> members (60 to an address) are logged in; a few of them chat,
/// and one sends WHO as fast as it reads the answers (at most a few answers outstanding, so it never overflows
/// its own send queue). Reports the others' SAY round trip and the WHO reader's bytes per second (of USERS
/// lines). The chatters are few: every line is delivered 2,000 times, by a generator sharing the server's cores.
/// </summary>
public static class WhoFlood
{
    private const int Window = 8;

    public static async Task<Report> Run(Target target, int members, int chatters, TimeSpan flood, TextWriter log)
    {
        var report = new Report("who-flood", target.Wire.Name).Set("members", members).Set("chatters", chatters)
            .Set("flood_sec", flood.TotalSeconds);
        await using var crowd = await Members.Open(target, members, log, bufferBytes: 16 * 1024);
        var reader = crowd.Clients[^1];
        var receivers = crowd.Clients.Take(crowd.Clients.Count - 1).ToList();
        var meter = new ChatMeter(receivers.Take(chatters).ToList(), receivers, target.Wire, TimeSpan.FromMilliseconds(500));
        using var chatStop = new CancellationTokenSource();
        var chatting = meter.Run(chatStop.Token);
        meter.Mark("quiet");

        var who = Encoding.ASCII.GetBytes("WHO\n");
        var before = reader.RosterBytes;
        await reader.Send(who);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var answer = Math.Max(1, reader.RosterBytes - before);
        log.WriteLine($"  one WHO answer: {answer} bytes");

        meter.Mark("who");
        var start = reader.RosterBytes;
        var clock = Stopwatch.StartNew();
        long asked = 0;
        while (clock.Elapsed < flood && !reader.Closed)
        {
            var outstanding = asked - (reader.RosterBytes - start) / answer;
            if (outstanding >= Window)
            {
                await Task.Delay(1);
                continue;
            }
            await reader.Send(who);
            asked++;
        }
        var bytesPerSecond = (reader.RosterBytes - start) / clock.Elapsed.TotalSeconds;
        log.WriteLine($"  {asked} WHO sent, reader got {bytesPerSecond / 1e6:0.0} MB/s");
        meter.Mark("after");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await chatStop.CancelAsync();
        await chatting;
        await meter.Drain(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
        return meter.Into(report, "quiet", "who", "after")
            .Set("who_answer_bytes", answer)
            .Set("who_sent", asked)
            .Set("who_per_sec", asked / flood.TotalSeconds)
            .Set("reader_mb_per_sec", bytesPerSecond / 1e6)
            .Set("reader_429", reader.TooFast)
            .Set("reader_disconnected", reader.Closed)
            .Set("members_dropped", receivers.Count(c => c.Dropped));
    }
}
