using System.CommandLine;
using System.Text;
using ChatRoom.Core.Log;
using ChatRoom.Core.Room;
using static ChatRoom.Host.Tests.Log.LogFixtures;

namespace ChatRoom.Host.Tests.Log;

/// <summary>
/// <c>history export</c>, parsed and run in-process as Program.cs wires it (a root command given the options),
/// with its standard output and error captured.
/// </summary>
public class HistoryCommandTests
{
    private sealed record Run(int Code, string Output, string Error);

    private static Run Export(string data, params string[] args)
    {
        var output = new MemoryStream();
        var error = new StringWriter();
        var root = new RootCommand();
        root.Subcommands.Add(HistoryCommand.Create(_ => LanguageExt.Prelude.FinSucc(new ServerOptions { Data = data }), () => output, error));
        var code = root.Parse(["history", "export", .. args]).Invoke();
        return new Run(code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    private static readonly DateTimeOffset At = new(2026, 12, 2, 4, 18, 9, 123, TimeSpan.Zero);

    private static void Fill(SqliteRoomLog log) => log.Append(
    [
        new Draft(new RoomEvent.Joined("alice"), At, new ConnectionId(1)),
        new Draft(new RoomEvent.Message("alice", "hi \"there\" é"), At.AddSeconds(1), new ConnectionId(1)),
        new Draft(new RoomEvent.Left("alice", "gone home"), At.AddHours(6), new ConnectionId(1)),
    ]);

    [Fact]
    public void Exports_jsonl_by_default_while_the_log_is_open_for_writing()
    {
        using var dir = new TempDir();
        using var log = Open(dir); // as a running server holds it: locked, in WAL, not checkpointed
        Fill(log);
        var run = Export(dir.File("data"));
        Assert.Equal(0, run.Code);
        Assert.Equal(
            """
            {"seq":1,"time":"2026-12-02T04:18:09.123Z","type":"joined","nick":"alice"}
            {"seq":2,"time":"2026-12-02T04:18:10.123Z","type":"message","nick":"alice","text":"hi \"there\" é"}
            {"seq":3,"time":"2026-12-02T10:18:09.123Z","type":"left","nick":"alice","reason":"gone home"}

            """.ReplaceLineEndings("\n"),
            run.Output);
        Assert.Empty(run.Error);
    }

    [Fact]
    public void Exports_text_lines_of_a_closed_log()
    {
        using var dir = new TempDir();
        using (var log = Open(dir)) Fill(log);
        var run = Export(dir.File("data"), "--format", "text");
        Assert.Equal(0, run.Code);
        Assert.Equal(
            "1 2026-12-02T04:18:09.123Z JOINED alice\n" +
            "2 2026-12-02T04:18:10.123Z MESSAGE alice hi \"there\" é\n" +
            "3 2026-12-02T10:18:09.123Z LEFT alice gone home\n",
            run.Output);
        Assert.False(File.Exists(dir.File("data/room.db-wal")) && new FileInfo(dir.File("data/room.db-wal")).Length > 0, "a reader wrote a WAL");
    }

    [Fact]
    public void Since_a_seq_starts_at_that_seq_and_since_a_time_at_that_time()
    {
        using var dir = new TempDir();
        using var log = Open(dir);
        Fill(log);
        Assert.Equal(["2 ", "3 "], Export(dir.File("data"), "--since", "2", "--format", "text").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..2]));
        Assert.Equal(["3 "], Export(dir.File("data"), "--since", "2026-12-02T10:00:00Z", "--format", "text").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..2]));
        Assert.Equal(["2 ", "3 "], Export(dir.File("data"), "--since", "2026-12-02T05:18:10.123+01:00", "--format", "text").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..2]));
    }

    [Fact]
    public void A_missing_log_says_so_and_exits_1_printing_nothing_on_standard_output()
    {
        using var dir = new TempDir();
        var run = Export(dir.File("data"));
        Assert.Equal(1, run.Code);
        Assert.Empty(run.Output);
        Assert.Contains($"there is no room log at {dir.File("data/room.db")}", run.Error);
        Assert.False(File.Exists(dir.File("data/room.db")), "export created a log");
    }

    [Fact]
    public void A_since_that_is_neither_a_seq_nor_a_time_is_refused()
    {
        using var dir = new TempDir();
        using (var log = Open(dir)) Fill(log);
        var run = Export(dir.File("data"), "--since", "yesterday");
        Assert.Equal(1, run.Code);
        Assert.Contains("--since 'yesterday'", run.Error);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void Text_lines_never_carry_control_characters()
    {
        var entry = new LogEntry(5, At, new RoomEvent.Message("mallory", "a\u001b[2Jb\rc"), new ConnectionId(0));
        Assert.Equal("5 2026-12-02T04:18:09.123Z MESSAGE mallory a\uFFFD[2Jb\uFFFDc", HistoryFormat.TextLine(entry));
    }
}
