namespace ChatRoom.LoadTest;

/// <summary>
/// Latencies in microseconds, shared by every client of a run (thread-safe, lock-free): 10 µs buckets up to
/// 100 ms, then 1 ms buckets up to 60 s; the maximum is kept exactly.
/// </summary>
public sealed class Histogram
{
    private const int FineMicros = 10;
    private const int FineBuckets = 10_000;       // up to 100 ms
    private const int CoarseMicros = 1_000;
    private const int CoarseBuckets = 60_000;     // up to 60 s
    private readonly long[] _counts = new long[FineBuckets + CoarseBuckets];
    private long _count;
    private long _max;

    public long Count => Interlocked.Read(ref _count);
    public long MaxMicros => Interlocked.Read(ref _max);

    public void Add(long micros)
    {
        if (micros < 0) micros = 0;
        var bucket = micros < FineBuckets * FineMicros
            ? micros / FineMicros
            : FineBuckets + Math.Min(CoarseBuckets - 1, (micros - FineBuckets * FineMicros) / CoarseMicros);
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _count);
        long max;
        while (micros > (max = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, micros, max) != max)
        {
        }
    }

    /// <summary>The latency below which <paramref name="fraction"/> of the samples fall, in milliseconds.</summary>
    public double PercentileMillis(double fraction)
    {
        var count = Count;
        if (count == 0) return double.NaN;
        var target = (long)Math.Ceiling(fraction * count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen < target) continue;
            var upper = i < FineBuckets ? (i + 1) * FineMicros : FineBuckets * FineMicros + (i - FineBuckets + 1) * CoarseMicros;
            return Math.Min(upper, MaxMicros) / 1000.0;
        }
        return MaxMicros / 1000.0;
    }

    public double MaxMillis => MaxMicros / 1000.0;
}
