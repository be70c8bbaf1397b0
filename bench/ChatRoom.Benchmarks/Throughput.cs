using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ChatRoom.Benchmarks;

/// <summary>
/// A benchmark class whose every operation processes the same known number of bytes. The number must not
/// depend on setup or parameters: the summary is printed by the host process, which never runs the benchmark.
/// </summary>
public interface IProcessesBytes
{
    /// <summary>The bytes one benchmark operation processes.</summary>
    static abstract long BytesPerOperation { get; }
}

/// <summary>
/// Adds an "MB/s" column: <see cref="IProcessesBytes.BytesPerOperation"/> divided by the mean time of one
/// operation, in 10^6 bytes per second. BenchmarkDotNet has no throughput column of its own.
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);
    public string ColumnName => "MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Statistics;
    public int PriorityInCategory => 100;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Throughput: bytes processed per operation / Mean, in 10^6 bytes per second";

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => BytesOf(c) is not null);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (BytesOf(benchmarkCase) is not { } bytes || meanNanoseconds is not > 0) return "-";
        var megabytesPerSecond = bytes / meanNanoseconds.Value * 1e9 / 1e6;
        return megabytesPerSecond.ToString("N1", style.CultureInfo ?? CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;

    private static long? BytesOf(BenchmarkCase benchmarkCase)
    {
        var type = benchmarkCase.Descriptor.Type;
        if (!typeof(IProcessesBytes).IsAssignableFrom(type)) return null;
        var property = type.GetProperty(nameof(IProcessesBytes.BytesPerOperation), BindingFlags.Public | BindingFlags.Static);
        return property?.GetValue(null) as long?;
    }
}

/// <summary>Shows the <see cref="ThroughputColumn"/> for the benchmark class it marks.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ThroughputColumnAttribute() : ColumnConfigBaseAttribute(new ThroughputColumn());
