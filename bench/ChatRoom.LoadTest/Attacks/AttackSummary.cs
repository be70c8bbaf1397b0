using System.Globalization;
using System.Text.Json;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// The summary table of an attack session: one row per run, with the figures issue 9 names for that attack
/// (and whether the server outlived it), read back from the JSON lines.
/// </summary>
public static class AttackSummary
{
    private static readonly Dictionary<string, string[]> Figures = new()
    {
        ["login-ghosts"] = ["ghosts_sent", "ghost_seconds", "real_answer", "real_seconds", "real_welcome_seconds"],
        ["login-held"] = ["held_open", "real_answer", "real_seconds", "real_welcome_seconds"],
        ["login-spread"] = ["held_open", "real_answer", "real_seconds", "real_welcome_seconds"],
        ["login-sustained"] = ["attack_logins_sent", "real_seconds_series", "real_answers"],
        ["login-bigpass"] = ["sent", "send_seconds", "rss_before_mib", "rss_peak_mib", "rss_growth_mib", "real_answer", "real_seconds", "real_welcome_seconds"],
        ["pong-flood"] = ["flood_say_p50_ms", "flood_say_p99_ms", "flood_say_max_ms", "flood_lost", "after_say_p50_ms", "after_say_p99_ms",
            "after_say_max_ms", "after_lost", "rss_before_mib", "rss_peak_mib", "rss_growth_mib"],
        ["say-flood"] = ["flood_say_p50_ms", "flood_say_p99_ms", "flood_say_max_ms", "flood_lost", "rss_growth_mib", "flooder_429",
            "flooder_disconnected", "flooder_disconnected_after_sec", "flooder_bye"],
        ["idle-mass"] = ["here_hello", "helper_hello", "server_peak_fds", "mass_say_p99_ms", "mass_lost", "probes_answered_within_1s", "probes",
            "server_alive_after", "server_died_after_sec"],
        ["slow-log"] = ["connects_done", "churn_seconds", "churn_say_p99_ms", "churn_say_max_ms", "churn_lost", "after_say_max_ms", "after_lost"],
        ["who-flood"] = ["who_answer_bytes", "reader_mb_per_sec", "quiet_say_p99_ms", "who_say_p99_ms", "who_say_max_ms"],
        ["sigterm-flood"] = ["members_told_bye", "members", "exit_seconds", "server_exit_code"],
        ["kernel-mem"] = ["tcp_mem_before_mib", "tcp_mem_peak_mib", "tcp_mem_growth_mib", "tcp_mem_limit_mib", "sends_completed", "sends_cut_off"],
        ["port-in-use"] = ["second_exit_code", "second_logged_listening", "second_first_line"],
        ["bad-options"] = ["option", "exit_code", "first_line"],
    };

    public static int Print(string path, TextWriter output)
    {
        var runs = File.ReadLines(path).Where(l => l.TrimStart().StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        if (runs.Count == 0)
        {
            output.WriteLine("no runs found");
            return 1;
        }
        output.WriteLine("| attack | figures | server after |");
        output.WriteLine("|---|---|---|");
        foreach (var run in runs)
        {
            var scenario = Text(run, "scenario");
            var label = run.TryGetProperty("label", out _) ? Text(run, "label") : scenario;
            var figures = Figures.GetValueOrDefault(scenario, []).Where(f => run.TryGetProperty(f, out _)).Select(f => $"{f}={Text(run, f)}");
            var after = run.TryGetProperty("server_alive_after_run", out _)
                ? (Text(run, "server_alive_after_run") == "true" ? "alive" : $"gone (exit {Text(run, "server_exit_code")})")
                : "";
            output.WriteLine($"| {label} | {string.Join(", ", figures)} | {after} |");
        }
        return 0;
    }

    private static string Text(JsonElement run, string key)
    {
        var value = run.GetProperty(key);
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble().ToString("0.###", CultureInfo.InvariantCulture),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => value.ToString().Replace("|", "/", StringComparison.Ordinal),
        };
    }
}
