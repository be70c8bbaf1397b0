using System.Diagnostics;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// Samples the server process in the background while an attack runs (memory, descriptors, whether it lives),
/// because the peak is what hurts and it rarely falls on the moment a scenario would look.
/// </summary>
public sealed class ServerWatch : IAsyncDisposable
{
    private readonly int? _pid;
    private readonly bool _files;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    /// <summary>Starts sampling every <paramref name="every"/>; <paramref name="files"/> also counts descriptors (slow with thousands).</summary>
    public ServerWatch(int? pid, TimeSpan every, bool files = false)
    {
        _pid = pid;
        _files = files;
        Before = pid is { } p ? ProcStats.RssKiB(p) : double.NaN;
        PeakRssKiB = Before;
        _sampling = Sample(every);
    }

    public double Before { get; }
    public double PeakRssKiB { get; private set; }
    public int PeakFiles { get; private set; } = -1;
    /// <summary>Seconds from the start to the first sample that found the process gone (NaN while it lives).</summary>
    public double DiedAfterSeconds { get; private set; } = double.NaN;
    public double Now => _pid is { } p ? ProcStats.RssKiB(p) : double.NaN;

    private async Task Sample(TimeSpan every)
    {
        if (_pid is not { } pid) return;
        var clock = Stopwatch.StartNew();
        while (!_stop.IsCancellationRequested)
        {
            if (!ProcStats.Alive(pid))
            {
                DiedAfterSeconds = clock.Elapsed.TotalSeconds;
                return;
            }
            var rss = ProcStats.RssKiB(pid);
            if (double.IsNaN(PeakRssKiB) || rss > PeakRssKiB) PeakRssKiB = rss;
            if (_files) PeakFiles = Math.Max(PeakFiles, ProcStats.OpenFiles(pid));
            try
            {
                await Task.Delay(every, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Writes before, peak and now (in MiB) and the growth to the peak, under <paramref name="prefix"/>.</summary>
    public Report Into(Report report, string prefix = "rss")
    {
        var now = Now;
        return report.Set($"{prefix}_before_mib", Before / 1024)
            .Set($"{prefix}_peak_mib", PeakRssKiB / 1024)
            .Set($"{prefix}_end_mib", now / 1024)
            .Set($"{prefix}_growth_mib", (PeakRssKiB - Before) / 1024);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
