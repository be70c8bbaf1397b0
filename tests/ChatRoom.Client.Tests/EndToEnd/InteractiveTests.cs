using System.Globalization;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>
/// The interactive client checked the way a person uses it: in a real pseudo-terminal (tmux), typing keys and
/// reading the screen, while another client chats. Skipped, with a message, where tmux is not installed.
/// tests/interactive/tmux-check.sh does the same by hand, with more keys.
/// </summary>
public class InteractiveTests
{
    private const string Prompt = "alice> ";

    [TmuxFact]
    public async Task Typed_input_line_survives_incoming_messages_and_is_sent_whole()
    {
        await using var room = TestRoom.Start();
        var port = room.Port.ToString(CultureInfo.InvariantCulture);
        using var terminal = Tmux.Start(
            $"dotnet '{ChatProcess.ClientDll}' --port {port} --user alice; echo \"exit code $?\"; sleep 60",
            columns: 100, rows: 30);

        // The password prompt does not echo what is typed.
        await terminal.WaitFor(s => s.Any(row => row.Contains("password for alice:")), "the password prompt");
        terminal.Type(TestRoom.Passwords["alice"]);
        terminal.Press("Enter");
        await terminal.WaitFor(s => s.Contains("* you are in the room as alice"), "the welcome");

        terminal.Type("half typed 你好");
        await terminal.WaitFor(s => Tmux.LastRow(s) == Prompt + "half typed 你好", "the typed text");

        await using (var bob = room.Client("bob", "one\ntwo\n三 — a longer line from bob, to push the screen a bit\n", "--json"))
            Assert.Equal(0, await bob.Exit());

        // A protocol 2 server's time is shown on every room event, joins and leaves included.
        var screen = await terminal.WaitFor(s => s.Any(row => row.EndsWith("] * bob has left (quit)", StringComparison.Ordinal)),
            "bob's messages and his leaving");
        var rows = screen.Where(row => row.Length > 0).ToList();
        Assert.Equal(Prompt + "half typed 你好", rows[^1]);
        Assert.Matches(@"^\[\d\d:\d\d\] \* bob has left \(quit\)$", rows[^2]);
        Assert.Contains(rows, row => row.EndsWith("] bob: one", StringComparison.Ordinal));
        Assert.Contains(rows, row => row.EndsWith("] bob: 三 — a longer line from bob, to push the screen a bit", StringComparison.Ordinal));
        Assert.Single(rows, row => row.Contains("half typed"));
        Assert.Equal(Prompt.Length + "half typed ".Length + 4, terminal.CursorColumn());
        Assert.DoesNotContain(rows, row => row.Contains(TestRoom.Passwords["alice"]));

        // Finishing the line sends all of it, then /quit leaves with exit code 0.
        terminal.Type(" and more");
        terminal.Press("Enter");
        await terminal.WaitFor(s => s.Any(row => row.EndsWith("] alice: half typed 你好 and more", StringComparison.Ordinal)),
            "alice's whole message");
        terminal.Type("/quit");
        terminal.Press("Enter");
        await terminal.WaitFor(s => s.Contains("exit code 0"), "exit code 0");
    }
}
