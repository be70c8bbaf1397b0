using System.Globalization;
using System.Text.Json;

namespace ChatRoom.LoadTest;

/// <summary>
/// Reads the JSON lines of a benchmark session and prints, for each labelled scenario, the median of its runs
/// for ChatRoom and for each peer found in the file (ngircd, InspIRCd) side by side, with the ratio of
/// ChatRoom's figure to each peer's (a markdown table). bench/log.sh's runs name ChatRoom with and without its
/// room log instead: the first column is then "with the log", and the ratio is with over without.
/// </summary>
public static class Summary
{
    /// <summary>The servers in column order, with their headings.</summary>
    private static readonly (string Key, string Heading)[] Servers =
        [("chatroom", "ChatRoom"), ("chatroom-log", "with the log"), ("chatroom-nolog", "without the log"),
         ("embedded-1", "1 host, SQLite log"), ("jetstream-1", "1 host, JetStream"), ("jetstream-2", "2 hosts, JetStream"), ("nats", "NATS"),
         ("ngircd", "ngircd"), ("inspircd", "InspIRCd")];

    private static readonly Dictionary<string, string[]> Metrics = new()
    {
        ["fanout"] = ["deliveries_per_sec", "lost", "dropped_clients", "latency_p50_ms", "latency_p99_ms", "latency_max_ms", "server_cpu_sec_per_million", "nats_cpu_sec"],
        ["fresh"] = ["startup_ms", "rss_kib"],
        ["connections"] = ["logged_in", "still_connected", "failures", "open_seconds", "rss_before_kib", "kib_per_connection", "kib_per_connection_marginal", "kib_per_connection_idle"],
        ["logins"] = ["handshakes_per_sec", "handshake_p99_ms", "chat_p99_ms_quiet", "chat_p99_ms_storm", "chat_p99_ratio", "dropped_clients"],
        ["log-size"] = ["events", "bytes", "bytes_per_event"],
        ["startup"] = ["events", "big_ms", "empty_ms"],
        ["js-append"] = ["events_per_sec", "batch_p50_ms", "batch_p99_ms", "nats_cpu_sec_per_million", "appender_cpu_sec_per_million"],
        ["js-replay"] = ["events", "listen_ms", "welcome_ms", "login_ms", "rss_kib"],
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

        var present = Servers.Where(s => runs.Any(r => ServerOf(r) == s.Key)).ToList();
        var first = present[0];
        var peers = present.Skip(1).ToList();
        output.WriteLine("| scenario | figure | " + string.Join(" | ", present.Select(s => s.Heading))
            + string.Concat(peers.Select(p => $" | {first.Heading} / {p.Heading}")) + " |");
        output.WriteLine("|---|---|" + string.Concat(present.Concat(peers).Select(_ => "---:|")));
        foreach (var group in runs.GroupBy(r => r.GetProperty("label").GetString()!))
        {
            if (!group.First().TryGetProperty("scenario", out var named)) continue;
            var scenario = named.GetString()!;
            foreach (var metric in Metrics.GetValueOrDefault(scenario, []))
            {
                var medians = present.ToDictionary(s => s.Key, s => Median(group, s.Key, metric));
                var ours = medians.GetValueOrDefault(first.Key);
                var cells = present.Select(s => Show(medians[s.Key], group, s.Key))
                    .Concat(peers.Select(p => ours is { } a && medians[p.Key] is { } b && b != 0
                        ? (a / b).ToString("0.00", CultureInfo.InvariantCulture) : ""));
                output.WriteLine($"| {group.Key} | {metric} | {string.Join(" | ", cells)} |");
            }
        }
        return 0;
    }

    /// <summary>
    /// The server a run was against: its "server" field, or for results written before that field existed,
    /// its protocol (every IRC run was then against ngircd).
    /// </summary>
    private static string ServerOf(JsonElement run) =>
        run.TryGetProperty("server", out var s) && s.GetString() is { } name ? name
        : run.GetProperty("protocol").GetString()!.StartsWith("irc", StringComparison.Ordinal) ? "ngircd" : "chatroom";

    /// <summary>The median over the runs against one server.</summary>
    private static double? Median(IEnumerable<JsonElement> runs, string server, string metric)
    {
        var values = runs
            .Where(r => ServerOf(r) == server)
            .Where(r => r.TryGetProperty(metric, out var v) && v.ValueKind == JsonValueKind.Number)
            .Select(r => r.GetProperty(metric).GetDouble())
            .Order()
            .ToList();
        if (values.Count == 0) return null;
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    private static string Show(double? value, IEnumerable<JsonElement> runs, string server)
    {
        if (value is not { } v) return "-";
        var n = runs.Count(r => ServerOf(r) == server);
        var text = Math.Abs(v) >= 1000 ? v.ToString("#,0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture);
        return n > 1 ? $"{text} (n={n})" : text;
    }
}
