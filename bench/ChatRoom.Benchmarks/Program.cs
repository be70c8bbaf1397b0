using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// `--quick` is a rough look at everything in a few minutes: BenchmarkDotNet's short job (3 warm-ups,
// 3 measured iterations) with 100 ms iterations and no overhead evaluation. The short job alone takes as long
// as a careful run here, because each benchmark's fixed stages (pilot, overhead) dominate. Without `--quick`,
// BenchmarkDotNet's own options apply unchanged.
string[] quick = ["--job", "short", "--iterationTime", "100", "--noOverheadEvaluation"];
var expanded = args.Contains("--quick")
    ? args.Where(a => a != "--quick")
        .Concat(quick)
        .Concat(args.Contains("--filter") ? [] : ["--filter", "*"])
        .ToArray()
    : args;

// Median and Min beside the Mean: on a shared 2-core machine other processes inflate some iterations, and the
// median (typical) and minimum (least disturbed) show how much of the mean is noise.
var config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median, StatisticColumn.Min);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(expanded, config);
