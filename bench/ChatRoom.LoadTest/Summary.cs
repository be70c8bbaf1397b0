using System.Globalization;
using System.Text.Json;

namespace ChatRoom.LoadTest;

/// <summary>
/// Reads the JSON lines of a benchmark session and prints, for each labelled scenario, the median of its runs
/// for ChatRoom and for ngircd side by side (a markdown table), then the bar of issue 5 row by row.
/// </summary>
public static class Summary
{
    private static readonly Dictionary<string, string[]> Metrics = new()
    {
        ["fanout"] = ["deliveries_per_sec", "lost", "dropped_clients", "latency_p50_ms", "latency_p99_ms", "latency_max_ms", "server_cpu_sec_per_million"],
        ["connections"] = ["logged_in", "still_connected", "failures", "open_seconds", "kib_per_connection", "kib_per_connection_marginal"],
        ["logins"] = ["handshakes_per_sec", "handshake_p99_ms", "chat_p99_ms_quiet", "chat_p99_ms_storm", "chat_p99_ratio", "dropped_clients"],
    };

    public static int Print(string path, TextWriter output)
    {
        var runs = File.ReadLines(path)
            .Where(l => l.TrimStart().StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(e => e.TryGetProperty("label", out _))
            .ToList();
        if (runs.Count == 0)
        {
            output.WriteLine("no labelled runs found");
            return 1;
        }

        output.WriteLine("| scenario | figure | ChatRoom | ngircd | ChatRoom / ngircd |");
        output.WriteLine("|---|---|---:|---:|---:|");
        foreach (var group in runs.GroupBy(r => r.GetProperty("label").GetString()!))
        {
            var scenario = group.First().GetProperty("scenario").GetString()!;
            foreach (var metric in Metrics.GetValueOrDefault(scenario, []))
            {
                var ours = Median(group, "chatroom", metric);
                var theirs = Median(group, "irc", metric);
                var ratio = ours is { } a && theirs is { } b && b != 0 ? (a / b).ToString("0.00", CultureInfo.InvariantCulture) : "";
                output.WriteLine($"| {group.Key} | {metric} | {Show(ours, group, "chatroom")} | {Show(theirs, group, "irc")} | {ratio} |");
            }
        }
        return 0;
    }

    /// <summary>The median over the runs of one server ("irc" covers irc and irc-register).</summary>
    private static double? Median(IEnumerable<JsonElement> runs, string protocol, string metric)
    {
        var values = runs
            .Where(r => r.GetProperty("protocol").GetString()!.StartsWith(protocol, StringComparison.Ordinal))
            .Where(r => r.TryGetProperty(metric, out var v) && v.ValueKind == JsonValueKind.Number)
            .Select(r => r.GetProperty(metric).GetDouble())
            .Order()
            .ToList();
        if (values.Count == 0) return null;
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    private static string Show(double? value, IEnumerable<JsonElement> runs, string protocol)
    {
        if (value is not { } v) return "-";
        var n = runs.Count(r => r.GetProperty("protocol").GetString()!.StartsWith(protocol, StringComparison.Ordinal));
        var text = Math.Abs(v) >= 1000 ? v.ToString("#,0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture);
        return n > 1 ? $"{text} (n={n})" : text;
    }
}
