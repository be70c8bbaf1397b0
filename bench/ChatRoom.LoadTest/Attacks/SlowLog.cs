using System.Diagnostics;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// 4: a slow log reader. bench/attack.sh pipes the server's output into a reader that takes 4 KB a second;
/// here members chat while <paramref name="connects"/> anonymous connections come and go, each of which the
/// server logs. Reports the members' SAY round trip before, during and after the churn.
/// </summary>
public static class SlowLog
{
    public static async Task<Report> Run(Target target, int members, int connects, int addresses, TextWriter log)
    {
        var report = new Report("slow-log", target.Wire.Name).Set("members", members).Set("connects", connects);
        await using var crowd = await Members.Open(target, members, log);
        var meter = new ChatMeter(crowd, target.Wire, TimeSpan.FromMilliseconds(100));
        using var chatStop = new CancellationTokenSource();
        var chatting = meter.Run(chatStop.Token);
        meter.Mark("quiet");
        await Task.Delay(TimeSpan.FromSeconds(2));

        meter.Mark("churn");
        var clock = Stopwatch.StartNew();
        var done = 0;
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(Enumerable.Range(0, connects).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                if (await Attackers.FireAndForget(target, Sources.Attacker(i % addresses), [])) Interlocked.Increment(ref done);
            }
            finally
            {
                gate.Release();
            }
        }));
        var churnSeconds = clock.Elapsed.TotalSeconds;
        log.WriteLine($"  {done} of {connects} connects in {churnSeconds:0.0} s");
        meter.Mark("after");
        await Task.Delay(TimeSpan.FromSeconds(5));
        await chatStop.CancelAsync();
        await chatting;
        var drain = Stopwatch.StartNew();
        await meter.Drain(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60));
        return meter.Into(report, "quiet", "churn", "after")
            .Set("connects_done", done)
            .Set("churn_seconds", churnSeconds)
            .Set("drain_seconds", drain.Elapsed.TotalSeconds)
            .Set("members_dropped", crowd.Dropped);
    }
}
