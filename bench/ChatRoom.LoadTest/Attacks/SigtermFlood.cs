using System.Diagnostics;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// 6: shutdown behind a backlog. Members are logged in, anonymous connections flood PONG, and after
/// <c>flood</c> the server gets SIGTERM while the flood goes on (until the process is gone), so the shutdown
/// meets the fullest backlog the flood can build. Counts the members told <c>BYE server shutting down</c> and times the
/// process's exit; its exit code is only known to its parent, so bench/attack.sh adds it.
/// </summary>
public static class SigtermFlood
{
    public static async Task<Report> Run(Target target, int members, int connections, TimeSpan flood, TextWriter log)
    {
        var report = new Report("sigterm-flood", target.Wire.Name).Set("members", members).Set("connections", connections)
            .Set("flood_sec", flood.TotalSeconds);
        if (target.ServerPid is not { } pid) throw new IOException("sigterm-flood needs --pid");
        await using var crowd = await Members.Open(target, members, log);
        var pong = new LineFlood(target, "PONG x");
        using var floodStop = new CancellationTokenSource(TimeSpan.FromSeconds(40) + flood);
        var flooding = pong.Run(connections, i => Sources.Attacker(i / 16), 1000, floodStop.Token);
        await Task.Delay(flood);

        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        log.WriteLine($"  SIGTERM sent after {pong.BytesSent / 1e6:0} MB of PONG");
        var exitSeconds = double.NaN;
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (!ProcStats.Alive(pid))
            {
                exitSeconds = clock.Elapsed.TotalSeconds;
                break;
            }
            await Task.Delay(20);
        }
        await floodStop.CancelAsync();
        await flooding;
        // The BYE lines may still be on their way when the process is gone; give them a moment.
        await Task.Delay(500);
        var told = crowd.Clients.Count(c => c.CloseLine == "BYE server shutting down");
        log.WriteLine($"  {told} of {members} members got BYE server shutting down; exit after {exitSeconds:0.00} s");
        return report.Set("flood_mb_sent", pong.BytesSent / 1e6)
            .Set("members_told_bye", told)
            .Set("members_closed", crowd.Clients.Count(c => c.Closed))
            .Set("exit_seconds", exitSeconds)
            .Set("exited_within_30s", !double.IsNaN(exitSeconds));
    }
}
