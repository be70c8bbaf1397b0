using System.Globalization;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>The interactive client in a real pseudo-terminal (tmux): resizing, Ctrl+Z, and a server restart.</summary>
public class TerminalTests
{
    private const string Prompt = "alice> ";

    private static async Task<Tmux> LoggedIn(TestRoom room, int columns, string command = "")
    {
        var port = room.Port.ToString(CultureInfo.InvariantCulture);
        var client = $"CHATROOM_PASSWORD='{TestRoom.Passwords["alice"]}' dotnet '{ChatProcess.ClientDll}' --port {port} --user alice";
        var terminal = Tmux.Start(command.Length == 0 ? $"{client}; echo \"exit code $?\"; sleep 60" : command, columns, rows: 20);
        if (command.Length > 0) terminal.Type(client + "\n");
        await terminal.WaitFor(s => s.Contains("* you are in the room as alice"), "the welcome");
        return terminal;
    }

    [TmuxFact]
    public async Task Narrowing_the_terminal_redraws_the_input_row_at_once_and_leaves_no_piece_of_it()
    {
        await using var room = TestRoom.Start();
        using var terminal = await LoggedIn(room, columns: 80);
        var words = string.Join(' ', Enumerable.Range(1, 10).Select(i => $"word{i:00}"));
        terminal.Type(words);
        await terminal.WaitFor(s => Tmux.LastRow(s) == Prompt + words, "the typed line");

        terminal.Resize(30, 20);
        var narrow = await terminal.WaitFor(s => Tmux.LastRow(s).StartsWith(Prompt + "<", StringComparison.Ordinal), "the line scrolled to fit");
        Assert.Single(narrow, row => row.Contains("word"));
        Assert.True(Tmux.LastRow(narrow).Length < 30);

        terminal.Resize(100, 20);
        var wide = await terminal.WaitFor(s => Tmux.LastRow(s) == Prompt + words, "the whole line again");
        Assert.Single(wide, row => row.Contains("word"));
    }

    [TmuxFact]
    public async Task Ctrl_Z_stops_the_client_and_fg_brings_back_the_half_typed_line()
    {
        await using var room = TestRoom.Start();
        using var terminal = await LoggedIn(room, columns: 120, command: "bash --norc --noprofile -i");
        terminal.Type("half typed");
        await terminal.WaitFor(s => Tmux.LastRow(s) == Prompt + "half typed", "the typed text");
        terminal.Press("C-z");
        await terminal.WaitFor(s => s.Any(row => row.Contains("Stopped")), "the shell's job stopped");
        terminal.Type("fg\n");
        await terminal.WaitFor(s => Tmux.LastRow(s) == Prompt + "half typed", "the line redrawn after fg");
        terminal.Type(" and sent\n");
        await terminal.WaitFor(s => s.Any(row => row.EndsWith("] alice: half typed and sent", StringComparison.Ordinal)), "the whole message");
        Assert.DoesNotContain(terminal.Screen(), row => row.Contains('\u001a') || row.Contains("^Z"));
    }

    [TmuxFact]
    public async Task A_server_restart_keeps_the_half_typed_line_says_reconnecting_and_comes_back()
    {
        await using var room = TestRoom.Start(durable: true);
        using var terminal = await LoggedIn(room, columns: 120);
        terminal.Type("half typed");
        await terminal.WaitFor(s => Tmux.LastRow(s) == Prompt + "half typed", "the typed text");
        await room.Restart();
        var screen = await terminal.WaitFor(s => s.Any(row => row.StartsWith("reconnected to", StringComparison.Ordinal)), "the reconnect");
        Assert.Contains(screen, row => row.Contains("reconnecting in"));
        await terminal.WaitFor(s => Tmux.LastRow(s) == Prompt + "half typed", "the typed text kept");
        terminal.Type(" after\n");
        await terminal.WaitFor(s => s.Any(row => row.EndsWith("] alice: half typed after", StringComparison.Ordinal)), "the message sent after coming back");
    }
}
