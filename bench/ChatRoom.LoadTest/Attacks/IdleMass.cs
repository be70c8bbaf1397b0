using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// 3: about 21,000 connections that never log in, from 350 addresses. One process may hold 20,000 descriptors
/// here, so this process holds the first half and starts a second generator (<c>attack idle-hold</c>) for
/// the other. Meanwhile members chat, a fresh address tries to connect every 2 s (it should get HELLO or a
/// BYE within 1 s), and after the mass login timeout the server must still be alive.
/// </summary>
public static class IdleMass
{
    public static async Task<Report> Run(Target target, int addresses, int perAddress, int members, TextWriter log)
    {
        var report = new Report("idle-mass", target.Wire.Name).Set("addresses", addresses).Set("per_address", perAddress)
            .Set("connections", addresses * perAddress);
        await using var crowd = await Members.Open(target, members, log);
        var meter = new ChatMeter(crowd, target.Wire, TimeSpan.FromMilliseconds(200));
        await using var watch = new ServerWatch(target.ServerPid, TimeSpan.FromMilliseconds(500), files: true);
        using var chatStop = new CancellationTokenSource();
        var chatting = meter.Run(chatStop.Token);
        meter.Mark("quiet");
        await Task.Delay(TimeSpan.FromSeconds(2));

        var half = addresses / 2;
        using var helper = StartHelper(target, half, addresses - half, perAddress);
        var helperOutput = helper.StandardOutput.ReadToEndAsync();
        using var idle = new IdleCrowd();
        using var probesStop = new CancellationTokenSource();
        var probes = Probe(target, probesStop.Token, log);
        var clock = Stopwatch.StartNew();
        meter.Mark("mass");
        using (var fillStop = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
            await idle.Fill(target.Endpoint, Enumerable.Range(0, half).Select(Sources.Attacker).ToList(), perAddress, 256, fillStop.Token);
        var openSeconds = clock.Elapsed.TotalSeconds;
        log.WriteLine($"  this half: {idle.Connected} connected, {idle.Hello} greeted, {idle.ConnectFailed} failed ({openSeconds:0.0} s)");

        // The login timeout counts from each connect; wait for the server to close the mass, then a little more.
        await idle.WaitClosed(TimeSpan.FromSeconds(60));
        meter.Mark("expired");
        var expiredAt = clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(10));
        await probesStop.CancelAsync();
        var tries = await probes;
        await chatStop.CancelAsync();
        await chatting;
        await meter.Drain(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20));
        var alive = target.ServerPid is { } pid && ProcStats.Alive(pid);
        log.WriteLine($"  server alive after the mass login timeout: {alive}; probes: {string.Join(" | ", tries.Select(t => t.Answer))}");

        var other = await ReadHelper(helper, helperOutput);
        idle.Into(report, "here");
        foreach (var (key, value) in other) report.Set("helper_" + key, value);
        return meter.Into(watch.Into(report), "quiet", "mass", "expired")
            .Set("open_seconds", openSeconds)
            .Set("expired_at_sec", expiredAt)
            .Set("server_peak_fds", watch.PeakFiles)
            .Set("server_alive_after", alive)
            .Set("server_died_after_sec", watch.DiedAfterSeconds)
            .Set("probes", tries.Count)
            .Set("probes_answered_within_1s", tries.Count(t => (t.Answer == "HELLO" || t.Answer.StartsWith("BYE", StringComparison.Ordinal)) && t.AnswerSeconds <= 1))
            .Set("probe_answers", string.Join(" | ", tries.Select(t => $"{t.Answer} {t.AnswerSeconds:0.00}")))
            .Set("members_dropped", crowd.Dropped);
    }

    /// <summary>Every 2 s a connection from a fresh address: what its first line was and how long it took.</summary>
    private static async Task<List<LoginOutcome>> Probe(Target target, CancellationToken stop, TextWriter log)
    {
        var tries = new List<LoginOutcome>();
        for (var k = 0; !stop.IsCancellationRequested && k < 200; k++)
        {
            var clock = Stopwatch.StartNew();
            string answer;
            try
            {
                using var client = await RawClient.Connect(target.Endpoint, Sources.Fresh(k), TimeSpan.FromSeconds(1));
                answer = await client.ReadLine(TimeSpan.FromMilliseconds(Math.Max(1, 1000 - clock.Elapsed.TotalMilliseconds))) ?? "silent";
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                answer = "connect failed";
            }
            tries.Add(new LoginOutcome(answer.StartsWith("HELLO", StringComparison.Ordinal) ? "HELLO" : answer, double.NaN, clock.Elapsed.TotalSeconds));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return tries;
    }

    private static Process StartHelper(Target target, int firstAddress, int addresses, int perAddress)
    {
        var self = typeof(IdleMass).Assembly.Location;
        var info = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     self, "--host", target.Endpoint.Address.ToString(), "--port", Str(target.Endpoint.Port), "--timeout", Str((int)target.Timeout.TotalSeconds),
                     "attack", "idle-hold", "--first-address", Str(firstAddress), "--addresses", Str(addresses), "--per-address", Str(perAddress),
                 })
            info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new IOException("could not start the second generator");
    }

    private static async Task<Dictionary<string, object>> ReadHelper(Process helper, Task<string> output)
    {
        if (!helper.WaitForExit(TimeSpan.FromSeconds(30))) helper.Kill();
        var text = await output;
        var json = text.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (json is null) return new() { ["missing"] = true };
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!
            .Where(kv => kv.Key.StartsWith("here_", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["here_".Length..], kv => (object)(kv.Value.ValueKind == JsonValueKind.Number ? kv.Value.GetDouble() : kv.Value.ToString()));
    }

    /// <summary>The second generator: holds its share of idle connections until the server closes them.</summary>
    public static async Task<Report> Hold(Target target, int firstAddress, int addresses, int perAddress, TextWriter log)
    {
        var report = new Report("idle-hold", target.Wire.Name).Set("first_address", firstAddress).Set("addresses", addresses);
        using var idle = new IdleCrowd();
        using (var fillStop = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
            await idle.Fill(target.Endpoint, Enumerable.Range(firstAddress, addresses).Select(Sources.Attacker).ToList(), perAddress, 256, fillStop.Token);
        log.WriteLine($"  other half: {idle.Connected} connected, {idle.Hello} greeted, {idle.ConnectFailed} failed");
        await idle.WaitClosed(TimeSpan.FromSeconds(60));
        return idle.Into(report, "here");
    }

    private static string Str(int n) => n.ToString(CultureInfo.InvariantCulture);
}
