using System.Diagnostics;

namespace ChatRoom.LoadTest;

/// <summary>One run's figures, printed as a human summary and as one JSON object.</summary>
public sealed class Report(string scenario, string protocol)
{
    public Dictionary<string, object> Figures { get; } = new() { ["scenario"] = scenario, ["protocol"] = protocol };

    public Report Set(string key, object value)
    {
        Figures[key] = value is double d ? (double.IsFinite(d) ? Math.Round(d, 3) : -1) : value;
        return this;
    }
}

/// <summary>The three scenarios of the benchmark: fanout, connections, logins.</summary>
public static class Scenarios
{
    /// <summary>
    /// A server just started, with nothing connected: the caller measured how long it took to open its port;
    /// this reads its RSS after one second, once start-up work (background threads, the first collection)
    /// has settled.
    /// </summary>
    public static async Task<Report> Fresh(Target target, int startupMs)
    {
        if (target.ServerPid is not { } pid) throw new InvalidOperationException("fresh needs --pid");
        await Task.Delay(TimeSpan.FromSeconds(1));
        return new Report("fresh", target.Wire.Name).Set("startup_ms", startupMs).Set("rss_kib", ProcStats.RssKiB(pid));
    }

    /// <summary>
    /// N clients in one room each send M messages (as fast as possible, or at a fixed rate each). Measures
    /// deliveries per second, latency, losses, dropped clients and the server's CPU time.
    /// </summary>
    public static async Task<Report> Fanout(Target target, int clients, int messages, double rate, TextWriter log)
    {
        await using var crowd = await Crowd.Open(target, 0, clients, 256 * 1024, 64, log);
        var report = new Report("fanout", target.Wire.Name).Set("clients", clients).Set("messages", messages).Set("rate", rate);
        if (crowd.Failures > 0) log.WriteLine($"  {crowd.Failures} of {clients} logins failed");
        await crowd.Settle(TimeSpan.FromMilliseconds(500), target.Timeout);

        var latency = new Histogram();
        foreach (var client in crowd.Clients) client.Latency = latency;
        var baseline = crowd.Deliveries;
        var expected = (long)crowd.Clients.Count * messages * (crowd.Clients.Count - 1);
        var cpuBefore = Cpu(target);
        var natsBefore = NatsCpu(target);
        var start = Stopwatch.GetTimestamp();

        using var stop = new CancellationTokenSource(target.Timeout);
        var sending = rate > 0
            ? Pacer.Paced(target.Wire, crowd.Clients, rate, messages, stop.Token)
            : Pacer.MaxRate(target.Wire, crowd.Clients, messages).ContinueWith(_ => 0L);
        await WaitForDeliveries(crowd, baseline + expected, TimeSpan.FromSeconds(5), stop.Token);
        await sending;

        var last = crowd.Clients.Select(c => c.LastDeliveryTimestamp).DefaultIfEmpty(start).Max();
        var seconds = Math.Max(1e-6, (last - start) / (double)Stopwatch.Frequency);
        var delivered = crowd.Deliveries - baseline;
        var cpu = Cpu(target) - cpuBefore;
        if (target.Endpoints.Count > 1) report.Set("hosts", target.Endpoints.Count);
        if (target.NatsPid is not null) report.Set("nats_cpu_sec", NatsCpu(target) - natsBefore);
        return report
            .Set("logged_in", crowd.Clients.Count)
            .Set("expected_deliveries", expected)
            .Set("deliveries", delivered)
            .Set("lost", Math.Max(0, expected - delivered))
            .Set("dropped_clients", crowd.Dropped + crowd.Failures)
            .Set("seconds", seconds)
            .Set("deliveries_per_sec", delivered / seconds)
            .Set("latency_p50_ms", latency.PercentileMillis(0.50))
            .Set("latency_p99_ms", latency.PercentileMillis(0.99))
            .Set("latency_max_ms", latency.MaxMillis)
            .Set("server_cpu_sec", cpu)
            .Set("server_cpu_sec_per_million", delivered > 0 ? cpu / (delivered / 1e6) : double.NaN);
    }

    /// <summary>
    /// C clients log in and stay idle. Measures the server's memory per connection two ways: over all C
    /// (which also counts one-time costs such as JIT-compiled code and the runtime's first heap regions), and
    /// at the margin, over the second half only (what each further user costs once the server is warm). Each client
    /// reads with an 8 KiB buffer, enough for the longest line the server sends (4 KiB): USERS and PRESENCE lines
    /// are read whole, so the sampled lists of who is there (--check-views) are what a client would hold.
    /// The first reading waits <paramref name="quietBefore"/> after the server's start, and a third one (idle) is
    /// taken at the end of the hold: a server that gives memory back once quiet (ChatRoom's <c>MemoryTrim</c>)
    /// shows it there, and the reading before counts the same way.
    /// </summary>
    public static async Task<Report> Connections(Target target, int count, TimeSpan hold, int concurrency, TimeSpan quietBefore, TextWriter log)
    {
        var report = new Report("connections", target.Wire.Name).Set("clients", count).Set("concurrency", concurrency);
        await Task.Delay(quietBefore);
        var rssBefore = Rss(target);
        var half = count / 2;
        var clock = Stopwatch.StartNew();
        await using var first = await Crowd.Open(target, 0, half, 8192, concurrency, log);
        await first.Settle(TimeSpan.FromSeconds(1), target.Timeout);
        var rssHalf = Rss(target);
        await using var second = await Crowd.Open(target, half, count - half, 8192, concurrency, log);
        var openSeconds = clock.Elapsed.TotalSeconds;
        var loggedIn = first.Clients.Count + second.Clients.Count;
        log.WriteLine($"  {loggedIn} logged in after {openSeconds:0.0} s; waiting for the join traffic to settle");
        await second.Settle(TimeSpan.FromSeconds(1), target.Timeout);
        await first.Settle(TimeSpan.FromSeconds(1), target.Timeout);
        var rssAfter = Rss(target);
        await Task.Delay(hold);
        var rssIdle = Rss(target);
        var still = first.Clients.Count(c => !c.Closed) + second.Clients.Count(c => !c.Closed);
        // The sampled clients' lists of who is in the room, against everyone who logged in and is still here.
        var everyone = first.Clients.Concat(second.Clients).ToList();
        var present = everyone.Where(c => !c.Closed).Select(c => c.Nick).ToHashSet(StringComparer.Ordinal);
        var views = everyone.Where(c => c.View is not null && !c.Closed).ToList();
        var wrongViews = views.Count(c => !c.View!.Nicks.SetEquals(present));
        return report
            .Set("views_checked", views.Count)
            .Set("views_wrong", wrongViews)
            .Set("presence_mib", everyone.Sum(c => c.PresenceBytes) / 1048576.0)
            .Set("roster_mib", everyone.Sum(c => c.RosterBytes) / 1048576.0)
            .Set("logged_in", loggedIn)
            .Set("failures", first.Failures + second.Failures)
            .Set("open_seconds", openSeconds)
            .Set("rss_before_kib", rssBefore)
            .Set("rss_half_kib", rssHalf)
            .Set("rss_after_kib", rssAfter)
            .Set("kib_per_connection", loggedIn > 0 ? (rssAfter - rssBefore) / loggedIn : double.NaN)
            .Set("kib_per_connection_marginal", second.Clients.Count > 0 ? (rssAfter - rssHalf) / second.Clients.Count : double.NaN)
            .Set("rss_idle_kib", rssIdle)
            .Set("kib_per_connection_idle", loggedIn > 0 ? (rssIdle - rssBefore) / loggedIn : double.NaN)
            .Set("hold_seconds", hold.TotalSeconds)
            .Set("still_connected", still);
    }

    /// <summary>
    /// A group chats at a fixed rate, first alone, then while other users connect, log in and quit without pause.
    /// Measures handshakes per second and the chat latency with and without the login storm.
    /// </summary>
    public static async Task<Report> Logins(Target target, int chatters, double rate, TimeSpan duration, int workers, TextWriter log)
    {
        var report = new Report("logins", target.Wire.Name).Set("chatters", chatters).Set("rate", rate)
            .Set("duration_sec", duration.TotalSeconds).Set("workers", workers);
        await using var crowd = await Crowd.Open(target, 0, chatters, 64 * 1024, 64, log);
        await crowd.Settle(TimeSpan.FromMilliseconds(500), target.Timeout);

        var quiet = await Chat(crowd, target, rate, duration);
        log.WriteLine($"  without logins: chat p99 {quiet.PercentileMillis(0.99):0.00} ms");

        var handshakes = new Histogram();
        long done = 0, failed = 0;
        using var stormStop = new CancellationTokenSource(duration);
        var storm = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var nick = target.Prefix + (chatters + w);
            while (!stormStop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    await using var client = await LoadClient.Connect(target.Endpoint, target.Wire, -1, nick, 16 * 1024, CancellationToken.None, tls: target.Tls);
                    await client.Send(target.Wire.Login(nick, target.Password));
                    await client.LoggedIn.WaitAsync(TimeSpan.FromSeconds(30));
                    handshakes.Add(clock.ElapsedTicks * 1_000_000 / Stopwatch.Frequency);
                    Interlocked.Increment(ref done);
                    await client.Quit();
                    // Wait for the server to close, so the nick is free for this worker's next round.
                    var closeBy = Stopwatch.StartNew();
                    while (!client.Closed && closeBy.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(2);
                }
                catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })).ToList();
        var stormy = await Chat(crowd, target, rate, duration);
        await Task.WhenAll(storm);
        log.WriteLine($"  with logins: chat p99 {stormy.PercentileMillis(0.99):0.00} ms, {done} handshakes");

        return report
            .Set("handshakes", done)
            .Set("handshake_failures", failed)
            .Set("handshakes_per_sec", done / duration.TotalSeconds)
            .Set("handshake_p99_ms", handshakes.PercentileMillis(0.99))
            .Set("chat_p99_ms_quiet", quiet.PercentileMillis(0.99))
            .Set("chat_p99_ms_storm", stormy.PercentileMillis(0.99))
            .Set("chat_p99_ratio", stormy.PercentileMillis(0.99) / quiet.PercentileMillis(0.99))
            .Set("dropped_clients", crowd.Dropped);
    }

    /// <summary>
    /// Connections opened and closed as fast as <paramref name="concurrency"/> loops can: each connects (with
    /// <see cref="Target.Tls"/>, does the TLS handshake), waits for the server's first line, and closes. Measures
    /// handshakes per second and the server's CPU per handshake; over plaintext the same run is the baseline.
    /// </summary>
    public static async Task<Report> Handshakes(Target target, int count, int concurrency)
    {
        var report = new Report("handshakes", target.Wire.Name).Set("tls", target.Tls).Set("count", count).Set("concurrency", concurrency);
        var latency = new Histogram();
        long next = -1, done = 0, failed = 0;
        var cpuBefore = Cpu(target);
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(target.Timeout);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count && !stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await using var client = await LoadClient.Connect(target.Endpoint, target.Wire, -1, "h", 4096, stop.Token, tls: target.Tls);
                    var greetBy = Stopwatch.StartNew();
                    while (!client.Greeted && !client.Closed && greetBy.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(1);
                    if (!client.Greeted) throw new IOException("no greeting");
                    latency.Add((Stopwatch.GetTimestamp() - started) * 1_000_000 / Stopwatch.Frequency);
                    Interlocked.Increment(ref done);
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException
                                              or System.Security.Authentication.AuthenticationException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = Cpu(target) - cpuBefore;
        return report
            .Set("done", done)
            .Set("failed", failed)
            .Set("seconds", seconds)
            .Set("handshakes_per_sec", done / seconds)
            .Set("handshake_p50_ms", latency.PercentileMillis(0.50))
            .Set("handshake_p99_ms", latency.PercentileMillis(0.99))
            .Set("server_cpu_ms_per_handshake", done > 0 ? cpu * 1000 / done : double.NaN);
    }

    private static async Task<Histogram> Chat(Crowd crowd, Target target, double rate, TimeSpan duration)
    {
        var latency = new Histogram();
        foreach (var client in crowd.Clients) client.Latency = latency;
        var baseline = crowd.Deliveries;
        var messages = (int)Math.Ceiling(rate * duration.TotalSeconds);
        using var stop = new CancellationTokenSource(duration + TimeSpan.FromSeconds(5));
        await Pacer.Paced(target.Wire, crowd.Clients, rate, messages, stop.Token);
        var expected = (long)crowd.Clients.Count * messages * (crowd.Clients.Count - 1);
        await WaitForDeliveries(crowd, baseline + expected, TimeSpan.FromSeconds(3), CancellationToken.None);
        return latency;
    }

    /// <summary>Waits for the total, or until deliveries stop for <paramref name="idle"/>, or cancellation.</summary>
    private static async Task WaitForDeliveries(Crowd crowd, long total, TimeSpan idle, CancellationToken stop)
    {
        long last = -1;
        var still = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            var now = crowd.Deliveries;
            if (now >= total) return;
            if (now != last)
            {
                last = now;
                still.Restart();
            }
            else if (still.Elapsed > idle)
            {
                return;
            }
            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <summary>The CPU seconds of every server process of the run (one, or each host of a cluster).</summary>
    private static double Cpu(Target target) =>
        target.ServerPids.Count > 0 ? target.ServerPids.Sum(ProcStats.CpuSeconds)
        : target.ServerPid is { } pid ? ProcStats.CpuSeconds(pid) : double.NaN;

    private static double NatsCpu(Target target) => target.NatsPid is { } pid ? ProcStats.CpuSeconds(pid) : double.NaN;
    private static double Rss(Target target) => target.ServerPid is { } pid ? ProcStats.RssKiB(pid) : double.NaN;
}
