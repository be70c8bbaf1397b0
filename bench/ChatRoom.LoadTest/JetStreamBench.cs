using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatRoom.Core.Log;
using ChatRoom.Core.Room;
using ChatRoom.Host;

namespace ChatRoom.LoadTest;

/// <summary>
/// Issue 12's JetStream figures, apart from any chat traffic: how fast one room stream commits events when they are
/// appended the way a host appends them, and how long a host takes to start on a long stream.
/// </summary>
public static class JetStreamBench
{
    /// <summary>
    /// Appends <paramref name="events"/> room events to room <paramref name="room"/>'s stream through the host's own
    /// <see cref="JetStreamRoomLog.Append"/>, in batches of <paramref name="batch"/>, one batch at a time, as the
    /// host's log writer does (each batch is published pipelined and then every ack awaited). The first event is a
    /// JOINED, the others MESSAGEs of <paramref name="textBytes"/> characters. The first two batches warm up (JIT,
    /// the stream's first blocks) and are not timed, but they are in the stream. Measures events per second and
    /// the time per batch (what a SAY waits for the log, at that batch size, on an idle host).
    /// </summary>
    public static Report Append(string url, string room, int events, int batch, int textBytes, int? natsPid, TextWriter log)
    {
        var opened = JetStreamRoomLog.Open(new ClusterOptions { Url = url, Room = room }, TimeProvider.System, TimeSpan.FromSeconds(10));
        if (opened.Case is not JetStreamRoomLog js) throw new IOException(opened.Match(_ => "", e => e.Message));
        using var _ = js;
        var text = new string('x', Math.Max(1, textBytes));
        var drafts = new List<Draft>(batch);
        var perBatch = new Histogram();
        var warmup = Math.Min(events / 4, 2 * batch);
        long written = 0, timedEvents = 0;
        double timedSeconds = 0, natsBefore = double.NaN, cpuBefore = 0;
        while (written < events)
        {
            drafts.Clear();
            var n = (int)Math.Min(batch, events - written);
            for (var i = 0; i < n; i++)
            {
                RoomEvent e = written + i == 0 ? new RoomEvent.Joined("u0") : new RoomEvent.Message("u0", text);
                drafts.Add(new Draft(e, DateTimeOffset.UtcNow, new ConnectionId(1)) { Host = js.HostId });
            }
            var timed = written >= warmup;
            if (timed && timedEvents == 0)
            {
                natsBefore = natsPid is { } p ? ProcStats.CpuSeconds(p) : double.NaN;
                cpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            }
            var started = Stopwatch.GetTimestamp();
            js.Append(drafts);
            var took = Stopwatch.GetElapsedTime(started);
            written += n;
            if (!timed) continue;
            timedEvents += n;
            timedSeconds += took.TotalSeconds;
            perBatch.Add((long)took.TotalMicroseconds);
            if (timedEvents % 100_000 < n) log.WriteLine($"  {written} events appended, {timedEvents / timedSeconds:0} a second so far");
        }
        var natsCpu = natsPid is { } q ? ProcStats.CpuSeconds(q) - natsBefore : double.NaN;
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - cpuBefore;
        return new Report("js-append", "nats")
            .Set("room", room).Set("events", written).Set("batch", batch).Set("text_bytes", text.Length)
            .Set("timed_events", timedEvents)
            .Set("seconds", timedSeconds)
            .Set("events_per_sec", timedEvents / Math.Max(1e-6, timedSeconds))
            .Set("batch_p50_ms", perBatch.PercentileMillis(0.50))
            .Set("batch_p99_ms", perBatch.PercentileMillis(0.99))
            .Set("nats_cpu_sec_per_million", natsCpu / (timedEvents / 1e6))
            .Set("appender_cpu_sec_per_million", ownCpu / (timedEvents / 1e6));
    }

    /// <summary>
    /// A host just started (at <paramref name="startedUnixMs"/>, taken by the caller) on a room stream: connects
    /// as soon as the port is open, logs in as <paramref name="nick"/> and waits for WELCOME. A cluster host admits
    /// a newcomer when its JOINED comes back through the stream, after every event before it, so WELCOME is the
    /// moment the host has applied the whole stream. Measures both times from the start, the login alone (connected to WELCOME), and the host's RSS then.
    /// </summary>
    public static async Task<Report> Welcome(IPEndPoint endpoint, string nick, string password, long startedUnixMs, TimeSpan timeout, int? pid)
    {
        var deadline = Stopwatch.StartNew();
        Socket? socket = null;
        while (socket is null)
        {
            var attempt = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await attempt.ConnectAsync(endpoint);
                socket = attempt;
            }
            catch (SocketException)
            {
                attempt.Dispose();
                if (deadline.Elapsed > timeout) throw new TimeoutException($"nothing listened on {endpoint} within {timeout.TotalSeconds} s");
                await Task.Delay(10);
            }
        }
        var listenMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - startedUnixMs;
        var login = Stopwatch.StartNew();
        using var _ = socket;
        await socket.SendAsync(Encoding.UTF8.GetBytes($"LOGIN {nick} {password}\n"));
        using var stop = new CancellationTokenSource(timeout - deadline.Elapsed);
        var buffer = new byte[64 * 1024];
        var pending = new StringBuilder();
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
            if (read == 0) throw new IOException("the server closed the connection before WELCOME");
            pending.Append(Encoding.UTF8.GetString(buffer, 0, read));
            var lines = pending.ToString().Split('\n');
            foreach (var line in lines[..^1])
            {
                if (line.StartsWith("WELCOME ", StringComparison.Ordinal))
                {
                    var welcomeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - startedUnixMs;
                    return new Report("js-replay", "chatroom").Set("listen_ms", listenMs).Set("welcome_ms", welcomeMs)
                        .Set("login_ms", login.Elapsed.TotalMilliseconds)
                        .Set("rss_kib", pid is { } p ? ProcStats.RssKiB(p) : double.NaN);
                }
                if (line.StartsWith("ERROR ", StringComparison.Ordinal)) throw new IOException($"login refused: {line}");
            }
            pending.Clear().Append(lines[^1]);
        }
    }
}
