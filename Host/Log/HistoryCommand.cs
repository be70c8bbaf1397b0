using System.CommandLine;
using System.Globalization;
using System.Text;
using ChatRoom.Core.Log;
using Command = System.CommandLine.Command;

namespace ChatRoom.Host;

/// <summary>
/// <c>chatroom-host history export [--since &lt;time|seq&gt;] [--format jsonl|text]</c>: prints the room log of the
/// data folder for an administrator, oldest first, and nothing else on standard output (errors go to standard
/// error, with exit code 1). It opens the log read-only and takes no lock, so it works while the server runs
/// (WAL lets it read a consistent snapshot beside the writer).
/// </summary>
public static class HistoryCommand
{
    /// <summary>The command, for <c>root.Subcommands.Add(HistoryCommand.Create(Options))</c>.</summary>
    public static Command Create(Func<ParseResult, Fin<ServerOptions>> options) =>
        Create(options, Console.OpenStandardOutput, Console.Error);

    /// <summary>The command writing to the given output and error (so tests need not replace the Console's).</summary>
    internal static Command Create(Func<ParseResult, Fin<ServerOptions>> options, Func<Stream> output, TextWriter error)
    {
        var history = new Command("history", "Read the room log (room.db in the data folder, or the cluster's stream with --Cluster:Url).");
        var since = new System.CommandLine.Option<string?>("--since")
        {
            Description = "Start at this seq (a number: that entry and later) or this time (ISO 8601, e.g. 2026-12-02T10:00:00Z; UTC unless it says otherwise).",
        };
        var format = new System.CommandLine.Option<string>("--format") { Description = "jsonl (one JSON object a line, the default) or text.", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "text");
        var export = new Command("export", "Print the room log, oldest first.") { since, format };
        export.SetAction(r =>
        {
            JetStreamRoomLog? cluster = null;
            var entries = options(r).Bind(o => Since(r.GetValue(since)).Bind(from =>
                o.Cluster.Enabled
                    ? JetStreamRoomLog.Open(o.Cluster, TimeProvider.System, TimeSpan.FromSeconds(10))
                        .Map(log => (cluster = log).Export(from.After, from.Time))
                    : SqliteRoomLog.ExportFile(SqliteRoomLog.In(o.Data), from.After, from.Time)));
            using var closes = cluster;
            if (entries.Case is not IEnumerable<LogEntry> log)
            {
                error.WriteLine($"error: {entries.Match(_ => "", e => e.Message)}");
                return 1;
            }
            try
            {
                Print(log, r.GetValue(format) == "text", output());
                return 0;
            }
            catch (Exception e) when (e is IOException or Microsoft.Data.Sqlite.SqliteException or InvalidDataException
                                          or NATS.Client.Core.NatsException or OperationCanceledException)
            {
                error.WriteLine($"error: reading the room log failed: {e.Message}");
                return 1;
            }
        });
        history.Subcommands.Add(export);
        return history;
    }

    private static void Print(IEnumerable<LogEntry> log, bool text, Stream stdout)
    {
        using var output = new BufferedStream(stdout, 64 * 1024);
        using var lines = text ? new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" } : null;
        foreach (var entry in log)
        {
            if (lines is not null) lines.WriteLine(HistoryFormat.TextLine(entry));
            else HistoryFormat.WriteJsonLine(output, entry);
        }
        lines?.Flush();
        output.Flush();
    }

    /// <summary>Where <c>--since</c> starts: after a seq (a number n starts at n), or at a time.</summary>
    private static Fin<(long After, DateTimeOffset Time)> Since(string? since)
    {
        if (string.IsNullOrEmpty(since)) return (0L, DateTimeOffset.MinValue);
        if (long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) return (Math.Max(0, seq - 1), DateTimeOffset.MinValue);
        if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return (0L, time);
        return LanguageExt.Common.Error.New($"--since '{since}' is neither a seq nor a time such as 2026-12-02T10:00:00Z");
    }
}
