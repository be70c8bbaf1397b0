using System.Globalization;
using ChatRoom.Client.Tests.EndToEnd;

namespace ChatRoom.Client.Tests.FullScreen;

/// <summary>
/// The full-screen client once for real: the real program in a real pseudo-terminal (tmux), keys typed and the
/// screen read as a person sees it, while scripted clients chat. Skipped, with a message, where tmux is not installed.
/// </summary>
[Collection(FullScreenCollection.Name)]
public class FullScreenTmuxTests
{
    [TmuxFact]
    public async Task A_refused_login_is_retried_then_two_users_chat_while_a_third_comes_and_goes()
    {
        await using var room = TestRoom.Start();
        var port = room.Port.ToString(CultureInfo.InvariantCulture);
        using var terminal = Tmux.Start(
            $"env -u CHATROOM_PASSWORD dotnet '{ChatProcess.ClientDll}' --full-screen --port {port} --user alice; echo \"exit code $?\"; sleep 60",
            columns: 100, rows: 30);

        // The password field has the focus; Enter there is Join. A wrong password is refused, in a dialog.
        await terminal.WaitFor(s => s.Any(r => r.Contains("not connected: fill in the login above")), "the login area");
        terminal.Type("not the password");
        terminal.Press("Enter");
        var refused = await terminal.WaitFor(s => s.Any(r => r.Contains("Login refused")), "the refusal dialog");
        Assert.Contains(refused, r => r.Contains("login refused: invalid nickname or"));
        Assert.DoesNotContain(refused, r => r.Contains("not the password"));

        // OK closes it and empties the password field, which has the focus again: a new connection gets in.
        terminal.Press("Enter");
        await terminal.WaitFor(s => !s.Any(r => r.Contains("Login refused")), "the dialog closed");
        terminal.Type(TestRoom.Passwords["alice"]);
        terminal.Press("Enter");
        await terminal.WaitFor(s => s.Any(r => r.Contains("* you are in the room as alice")), "the welcome");
        await terminal.WaitFor(s => s.Any(r => r.Contains("in the room as alice on 127.0.0.1:" + port)), "the status line");

        await using var bob = room.Client("bob", "/wait alice: hello bob\nhi alice, 你好\n/wait alice: bye\n", "--json");
        await terminal.WaitFor(s => s.Any(r => r.Contains("Online (2)")) && s.Any(r => r.Contains("│ bob")), "bob in the user list");
        terminal.Type("hello bob");
        terminal.Press("Enter");
        await terminal.WaitFor(s => s.Any(r => r.Contains("] bob: hi alice, 你好")), "bob's answer");

        await using (var carol = room.Client("carol", "/wait alice: carol: welcome\nthanks, bye\n", "--json"))
        {
            await terminal.WaitFor(s => s.Any(r => r.Contains("Online (3)")) && s.Any(r => r.Contains("│ carol")), "carol in the user list");
            terminal.Type("car");
            terminal.Press("Tab");
            terminal.Type("welcome");
            terminal.Press("Enter");
            await terminal.WaitFor(s => s.Any(r => r.Contains("] carol: thanks, bye")), "carol's answer");
            Assert.Equal(0, await carol.Exit());
        }
        var left = await terminal.WaitFor(s => s.Any(r => r.Contains("Online (2)")) && s.Any(r => r.Contains("* carol has left")), "carol gone");
        Assert.DoesNotContain(left, r => r.Contains("│ carol"));
        Assert.Contains(left, r => r.Contains("] alice: carol: welcome"));
        Assert.DoesNotContain(left, r => r.Contains(TestRoom.Passwords["alice"]));

        terminal.Type("bye");
        terminal.Press("Enter");
        Assert.Equal(0, await bob.Exit());
        await terminal.WaitFor(s => s.Any(r => r.Contains("Online (1)")), "bob gone");
        terminal.Type("/quit");
        terminal.Press("Enter");
        await terminal.WaitFor(s => s.Contains("exit code 0"), "exit code 0");
    }
}
