using System.Diagnostics;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// Members chatting while an attack runs: each member sends a stamped SAY every interval, and every delivery
/// is filed under the phase in which it was SENT ("quiet", "flood", "after"...). A phase's latency therefore
/// includes any time its lines spent stuck in the server, and its lost count is what never arrived at all.
/// </summary>
public sealed class ChatMeter
{
    private readonly IReadOnlyList<LoadClient> _senders;
    private readonly IReadOnlyList<LoadClient> _receivers;
    private readonly Wire _wire;
    private readonly TimeSpan _interval;
    private readonly List<(long Start, string Name, Histogram Latency)> _phases = [];
    private readonly Dictionary<string, long> _sent = [];
    private readonly object _gate = new();
    private string _current = "warmup";

    public ChatMeter(Crowd crowd, Wire wire, TimeSpan interval) : this(crowd.Clients, crowd.Clients, wire, interval)
    {
    }

    /// <summary>Only <paramref name="senders"/> chat and only <paramref name="receivers"/> are timed; every sender must be a receiver.</summary>
    public ChatMeter(IReadOnlyList<LoadClient> senders, IReadOnlyList<LoadClient> receivers, Wire wire, TimeSpan interval)
    {
        _senders = senders;
        _receivers = receivers;
        _wire = wire;
        _interval = interval;
        Mark("warmup");
        foreach (var client in receivers) client.LatencyBySend = PhaseOf;
    }

    /// <summary>Lines sent from now on belong to the phase <paramref name="name"/> (each name once).</summary>
    public void Mark(string name)
    {
        lock (_gate)
        {
            _phases.Add((Stopwatch.GetTimestamp(), name, new Histogram()));
            _current = name;
            _sent.TryAdd(name, 0);
        }
    }

    /// <summary>Sends until <paramref name="stop"/>, every member once per interval, starts spread over the interval.</summary>
    public async Task Run(CancellationToken stop)
    {
        var members = _senders;
        var ticks = (long)(_interval.TotalSeconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        var next = members.Select((_, i) => start + ticks * i / Math.Max(1, members.Count)).ToArray();
        while (!stop.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < members.Count; i++)
            {
                if (members[i].Closed || now < next[i]) continue;
                next[i] += ticks;
                lock (_gate) _sent[_current]++;
                _ = members[i].Send(_wire.Say(members[i].Index, Stopwatch.GetTimestamp(), Pacer.Padding)).AsTask()
                    .ContinueWith(static _ => { }, TaskContinuationOptions.OnlyOnFaulted);
            }
            try
            {
                await Task.Delay(2, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Waits until every phase's lines have arrived, or nothing has arrived for <paramref name="idle"/>, at most <paramref name="limit"/>.</summary>
    public async Task Drain(TimeSpan idle, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var still = Stopwatch.StartNew();
        long last = -1;
        while (clock.Elapsed < limit && Received < Expected)
        {
            var now = Received;
            if (now != last)
            {
                last = now;
                still.Restart();
            }
            else if (still.Elapsed > idle)
            {
                return;
            }
            await Task.Delay(20);
        }
    }

    private long Received { get { lock (_gate) return _phases.Sum(p => p.Latency.Count); } }

    private long Expected
    {
        get
        {
            var receivers = Math.Max(0, _receivers.Count - 1);
            lock (_gate) return _sent.Values.Sum() * receivers;
        }
    }

    /// <summary>Writes p50, p99, max, sent and lost of each named phase (the warmup is left out).</summary>
    public Report Into(Report report, params string[] phases)
    {
        var receivers = Math.Max(0, _receivers.Count - 1);
        lock (_gate)
        {
            foreach (var name in phases)
            {
                var latency = _phases.FirstOrDefault(p => p.Name == name).Latency ?? new Histogram();
                var received = latency.Count;
                var sent = _sent.GetValueOrDefault(name);
                report.Set($"{name}_say_p50_ms", latency.PercentileMillis(0.50))
                    .Set($"{name}_say_p99_ms", latency.PercentileMillis(0.99))
                    .Set($"{name}_say_max_ms", latency.MaxMillis)
                    .Set($"{name}_says", sent)
                    .Set($"{name}_lost", Math.Max(0, sent * receivers - received));
            }
        }
        return report;
    }

    private Histogram PhaseOf(long sentTimestamp)
    {
        lock (_gate)
        {
            for (var i = _phases.Count - 1; i > 0; i--)
                if (sentTimestamp >= _phases[i].Start) return _phases[i].Latency;
            return _phases[0].Latency;
        }
    }
}
