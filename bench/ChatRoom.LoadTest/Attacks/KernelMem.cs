using System.Diagnostics;
using System.Net.Sockets;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// 8: kernel memory pinned by clients that never read. <paramref name="connections"/> anonymous connections each
/// send <paramref name="bytesEach"/> of PING lines and read nothing, so the PONGs pile up in socket buffers on
/// both sides. Reports the machine's TCP memory (/proc/net/sockstat, pages of 4 KiB) before and at its peak.
/// </summary>
public static class KernelMem
{
    private const double PageKiB = 4;

    public static async Task<Report> Run(Target target, int connections, int bytesEach, int perAddress, TimeSpan limit, TextWriter log)
    {
        var report = new Report("kernel-mem", target.Wire.Name).Set("connections", connections).Set("bytes_each", bytesEach);
        var before = TcpPages();
        var peak = before;
        using var stopSampling = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, TcpPages());
                await Task.Delay(100, CancellationToken.None);
            }
        });
        await using var watch = new ServerWatch(target.ServerPid, TimeSpan.FromMilliseconds(200));

        var pings = Attackers.Repeat("PING x", bytesEach);
        var clients = new List<RawClient>();
        int completed = 0, cutOff = 0, failed = 0;
        using var deadline = new CancellationTokenSource(limit);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async i =>
        {
            RawClient client;
            try
            {
                client = await RawClient.Connect(target.Endpoint, Sources.Attacker(i / perAddress), TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                Interlocked.Increment(ref failed);
                return;
            }
            lock (clients) clients.Add(client);
            try
            {
                await client.Send(pings, deadline.Token);
                Interlocked.Increment(ref completed);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                Interlocked.Increment(ref cutOff);
            }
        }));
        var sendSeconds = clock.Elapsed.TotalSeconds;
        // Hold everything a little longer: the server may still be answering what it has read.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var held = TcpPages();
        await stopSampling.CancelAsync();
        await sampling;
        foreach (var client in clients) client.Dispose();
        log.WriteLine($"  TCP memory {before * PageKiB / 1024:0} MiB before, {peak * PageKiB / 1024:0} MiB at the peak; " +
                      $"{completed} sends completed, {cutOff} cut off, {failed} connects failed");
        return watch.Into(report)
            .Set("tcp_mem_before_mib", before * PageKiB / 1024)
            .Set("tcp_mem_peak_mib", peak * PageKiB / 1024)
            .Set("tcp_mem_held_mib", held * PageKiB / 1024)
            .Set("tcp_mem_growth_mib", (peak - before) * PageKiB / 1024)
            .Set("tcp_mem_limit_mib", TcpLimitPages() * PageKiB / 1024)
            .Set("sends_completed", completed)
            .Set("sends_cut_off", cutOff)
            .Set("connect_failed", failed)
            .Set("send_seconds", sendSeconds);
    }

    /// <summary>The "mem" figure of the TCP line of /proc/net/sockstat: pages in use by all TCP sockets of the machine.</summary>
    private static long TcpPages()
    {
        foreach (var line in File.ReadLines("/proc/net/sockstat"))
        {
            if (!line.StartsWith("TCP:", StringComparison.Ordinal)) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var at = Array.IndexOf(fields, "mem");
            if (at > 0 && at + 1 < fields.Length) return long.Parse(fields[at + 1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return -1;
    }

    /// <summary>The third figure of tcp_mem: the machine-wide cap past which TCP refuses memory.</summary>
    private static long TcpLimitPages() =>
        long.Parse(File.ReadAllText("/proc/sys/net/ipv4/tcp_mem").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[2],
            System.Globalization.CultureInfo.InvariantCulture);
}
