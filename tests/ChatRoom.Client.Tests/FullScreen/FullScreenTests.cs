using ChatRoom.Client.FullScreen;
using ChatRoom.Client.Tests.EndToEnd;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;

namespace ChatRoom.Client.Tests.FullScreen;

/// <summary>Terminal.Gui keeps some process-wide settings: its applications are tested one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FullScreenCollection
{
    public const string Name = "full-screen";
}

/// <summary>
/// The full-screen client, headless (<see cref="ScreenHarness"/>), against a real server: what the screen shows
/// as people use it. The tmux test (<see cref="FullScreenTmuxTests"/>) checks the same in a real terminal once.
/// </summary>
[Collection(FullScreenCollection.Name)]
public class FullScreenTests
{
    [Fact]
    public async Task Join_with_an_empty_field_says_what_is_missing_and_sends_nothing()
    {
        using var screen = await ScreenHarness.Start(new FullScreenSettings("127.0.0.1", 1, "", "", Bell: true, Trace: false));
        await screen.OnUi((w, s) => s.Join());
        await screen.WaitForText("the nickname and the password are missing");
        Assert.False(await screen.OnUi((_, s) => s.InSession));

        await screen.OnUi((w, _) => w.Nick.Text = "alice");
        await screen.OnUi((_, s) => s.Join());
        await screen.WaitForText("the password is missing");
        Assert.True(await screen.OnUi((w, _) => w.Password.HasFocus));
        Assert.False(await screen.OnUi((_, s) => s.InSession));
    }

    [Fact]
    public async Task Sending_before_joining_says_log_in_first()
    {
        using var screen = await ScreenHarness.Start(new FullScreenSettings("127.0.0.1", 1, "alice", "", Bell: true, Trace: false));
        await screen.OnUi((w, _) => w.Compose.SetFocus());
        await screen.Type("hello?");
        await screen.Press(Key.Enter);
        await screen.WaitForText("! log in first");
        Assert.Equal("", await screen.OnUi((w, _) => w.Compose.Text));
    }

    [Fact]
    public async Task Two_users_chat_and_the_user_list_follows_joins_and_leaves()
    {
        await using var room = TestRoom.Start();
        using var screen = await ScreenHarness.Start(ScreenHarness.For(room, "alice"));
        await screen.Press(Key.Enter); // Join has the focus when the fields are filled in
        await screen.WaitForText("* you are in the room as alice");
        await screen.WaitFor(s => s.Any(r => r.Contains("Online (1)")) && s.Any(r => r.Contains("│*alice")), "alice alone online");
        Assert.True(await screen.OnUi((w, _) => !w.Nick.Enabled && !w.Password.Enabled && !w.Server.Enabled && !w.Join.Enabled));
        Assert.Contains(await screen.Screen(), r => r.Contains("in the room as alice on 127.0.0.1:"));

        await using var bob = room.Client("bob", "/wait alice: hello bob\nhi alice\n/wait alice: bye\n", "--json");
        await screen.WaitFor(s => s.Any(r => r.Contains("Online (2)")) && s.Any(r => r.Contains("│ bob")), "bob in the user list");
        await screen.Type("hello bob");
        await screen.Press(Key.Enter);
        await screen.WaitForText("] bob: hi alice");

        await using (var carol = room.Client("carol", "/wait alice: carol?\nhere\n", "--json"))
        {
            await screen.WaitFor(s => s.Any(r => r.Contains("Online (3)")) && s.Any(r => r.Contains("│ carol")), "carol in the user list");
            await screen.Type("carol?");
            await screen.Press(Key.Enter);
            await screen.WaitForText("] carol: here");
            Assert.Equal(0, await carol.Exit());
        }
        var left = await screen.WaitFor(s => s.Any(r => r.Contains("Online (2)")), "carol gone from the user list");
        Assert.DoesNotContain(left, r => r.Contains("│ carol"));
        Assert.Contains(left, r => r.Contains("] * carol has left (quit)"));

        await screen.Type("bye");
        await screen.Press(Key.Enter);
        Assert.Equal(0, await bob.Exit());
        await screen.WaitFor(s => s.Any(r => r.Contains("Online (1)")), "bob gone from the user list");

        await screen.Type("/quit");
        await screen.Press(Key.Enter);
        Assert.Equal(0, await screen.Ended());
    }

    [Fact]
    public async Task A_refused_login_shows_the_reason_in_a_dialog_and_a_corrected_one_gets_in()
    {
        await using var room = TestRoom.Start();
        using var screen = await ScreenHarness.Start(ScreenHarness.For(room, "alice", password: "wrong"));
        await screen.Press(Key.Enter);
        var refused = await screen.WaitForText("Login refused");
        Assert.Contains(refused, r => r.Contains("said: login refused: invalid nickname or"));
        Assert.Contains(refused, r => r.Contains("not connected: login refused: invalid nickname or password"));
        Assert.False(await screen.OnUi((_, s) => s.InSession));
        Assert.True(await screen.OnUi((w, _) => w.Password.Enabled && w.Join.Enabled));

        await screen.Press(Key.Enter); // OK closes the dialog and goes to the password
        await screen.WaitFor(s => !s.Any(r => r.Contains("Login refused")), "the dialog closed");
        Assert.True(await screen.OnUi((w, _) => w.Password.HasFocus && w.Password.Text.Length == 0));
        await screen.Type(TestRoom.Passwords["alice"]);
        await screen.Press(Key.Enter);
        var joined = await screen.WaitForText("* you are in the room as alice");
        Assert.DoesNotContain(joined, r => r.Contains(TestRoom.Passwords["alice"]));
        Assert.Contains(joined, r => r.Contains("│*alice"));
    }

    [Fact]
    public async Task Whispers_and_mentions_are_highlighted_and_ring_the_bell_but_other_lines_do_not()
    {
        await using var room = TestRoom.Start();
        using var screen = await ScreenHarness.Start(ScreenHarness.For(room, "alice"));
        await screen.Press(Key.Enter);
        await screen.WaitForText("* you are in the room as alice");
        await screen.Type("me first");
        await screen.Press(Key.Enter);
        await screen.WaitForText("] alice: me first");

        await using (var bob = room.Client("bob", "just chatting, malice aside\nthanks Alice!\n/msg alice psst\n", "--json"))
            Assert.Equal(0, await bob.Exit());
        await screen.WaitForText("bob -> you (whisper): psst");
        Assert.Equal(2, screen.Bells);
        var normal = await screen.ForegroundOf("alice: me first");
        Assert.Equal(normal, await screen.ForegroundOf("bob: just chatting"));
        Assert.Equal(new Color(ColorName16.BrightYellow), await screen.ForegroundOf("bob: thanks Alice!"));
        Assert.Equal(new Color(ColorName16.BrightMagenta), await screen.ForegroundOf("bob -> you (whisper): psst"));
    }

    [Fact]
    public async Task No_bell_still_highlights_but_rings_nothing()
    {
        await using var room = TestRoom.Start();
        using var screen = await ScreenHarness.Start(ScreenHarness.For(room, "alice", bell: false));
        await screen.Press(Key.Enter);
        await screen.WaitForText("bell off");
        await screen.WaitForText("* you are in the room as alice");
        await using (var bob = room.Client("bob", "/msg alice psst\n", "--json"))
            Assert.Equal(0, await bob.Exit());
        await screen.WaitForText("bob -> you (whisper): psst");
        Assert.Equal(new Color(ColorName16.BrightMagenta), await screen.ForegroundOf("bob -> you (whisper): psst"));
        Assert.Equal(0, screen.Bells);
    }

    [Fact]
    public async Task History_is_shown_apart_and_dimmed_before_live_lines()
    {
        await using var room = TestRoom.Start();
        await using (var bob = room.Client("bob", "said before alice came\n", "--json"))
            Assert.Equal(0, await bob.Exit());
        using var screen = await ScreenHarness.Start(ScreenHarness.For(room, "alice"));
        await screen.Press(Key.Enter);
        var shown = await screen.WaitForText("— now —");
        var rows = shown.Select(r => r.Trim('│', ' ')).ToList();
        var earlier = rows.FindIndex(r => r == "— earlier —");
        var said = rows.FindIndex(r => r.EndsWith("] bob: said before alice came", StringComparison.Ordinal));
        var now = rows.FindIndex(r => r == "— now —");
        Assert.True(earlier >= 0 && earlier < said && said < now, string.Join('\n', shown));
        var dim = new Color(ColorName16.DarkGray);
        Assert.Equal(dim, await screen.ForegroundOf("— earlier —"));
        Assert.Equal(dim, await screen.ForegroundOf("bob: said before alice came"));
        // The history of who came and went does not touch who is online now.
        Assert.Contains(shown, r => r.Contains("Online (1)"));
    }

    [Fact]
    public async Task Up_and_Down_recall_sent_lines_and_Tab_completes_a_nickname_online()
    {
        await using var room = TestRoom.Start();
        using var screen = await ScreenHarness.Start(ScreenHarness.For(room, "alice"));
        await screen.Press(Key.Enter);
        await screen.WaitForText("* you are in the room as alice");
        await using var bob = room.Client("bob", "/wait alice: bob: done\n", "--json");
        await screen.WaitFor(s => s.Any(r => r.Contains("│ bob")), "bob online");

        await screen.Type("first");
        await screen.Press(Key.Enter);
        await screen.Type("second");
        await screen.Press(Key.Enter);
        await screen.Type("draft");
        await screen.Press(Key.CursorUp);
        Assert.Equal("second", await screen.OnUi((w, _) => w.Compose.Text));
        await screen.Press(Key.CursorUp);
        Assert.Equal("first", await screen.OnUi((w, _) => w.Compose.Text));
        await screen.Press(Key.CursorDown, Key.CursorDown);
        Assert.Equal("draft", await screen.OnUi((w, _) => w.Compose.Text));

        await screen.OnUi((w, _) => w.Compose.Text = "");
        await screen.Type("bo");
        await screen.Press(Key.Tab);
        Assert.Equal("bob: ", await screen.OnUi((w, _) => w.Compose.Text));
        Assert.True(await screen.OnUi((w, _) => w.Compose.HasFocus));
        await screen.Type("done");
        await screen.Press(Key.Enter);
        Assert.Equal(0, await bob.Exit());
    }

    [Fact]
    public async Task PageUp_scrolls_the_transcript_back_and_PageDown_returns_to_the_newest()
    {
        await using var room = TestRoom.Start();
        using var screen = await ScreenHarness.Start(ScreenHarness.For(room, "alice"), rows: 20);
        await screen.Press(Key.Enter);
        await screen.WaitForText("* you are in the room as alice");
        await using (var bob = room.Client("bob", string.Concat(Enumerable.Range(1, 30).Select(i => $"line {i:00}\n")), "--json"))
            Assert.Equal(0, await bob.Exit());
        var bottom = await screen.WaitForText("* bob has left (quit)");
        Assert.DoesNotContain(bottom, r => r.Contains("bob: line 01"));

        await screen.Press(Key.PageUp, Key.PageUp, Key.PageUp);
        var top = await screen.WaitForText("* you are in the room as alice");
        Assert.Contains(top, r => r.Contains("scrolled back"));
        Assert.DoesNotContain(top, r => r.Contains("* bob has left"));

        await screen.Press(Key.PageDown, Key.PageDown, Key.PageDown);
        var back = await screen.WaitForText("* bob has left (quit)");
        Assert.DoesNotContain(back, r => r.Contains("scrolled back"));

        // The mouse wheel over the transcript scrolls it too.
        await screen.Wheel(MouseFlags.WheeledUp, column: 10, row: 8);
        await screen.WaitForText("scrolled back 3 rows");
        await screen.Wheel(MouseFlags.WheeledDown, column: 10, row: 8);
        await screen.WaitFor(s => !s.Any(r => r.Contains("scrolled back")), "the transcript back at the newest");
    }

    [Fact]
    public async Task Esc_does_not_end_the_program_and_Ctrl_Q_leaves_the_room_cleanly()
    {
        await using var room = TestRoom.Start();
        using var screen = await ScreenHarness.Start(ScreenHarness.For(room, "alice"));
        await screen.Press(Key.Enter);
        await screen.WaitForText("* you are in the room as alice");
        await screen.Press(Key.Esc);
        await screen.Type("still here");
        await screen.Press(Key.Enter);
        await screen.WaitForText("] alice: still here");
        await screen.Press(Key.Q.WithCtrl);
        Assert.Equal(0, await screen.Ended());
    }

    [Fact]
    public async Task The_status_line_shows_TLS_and_the_certificate_fingerprint()
    {
        await using var room = TestRoom.Start(tls: true);
        var settings = new FullScreenSettings("127.0.0.1", room.TlsPort, "alice", TestRoom.Passwords["alice"], Bell: true, Trace: false)
        {
            Tls = new ChatRoom.Client.Shell.TlsSettings(Some(room.Fingerprint), TrustNew: false,
                new ChatRoom.Client.Shell.KnownHosts(Path.Combine(Path.GetTempPath(), "chatroom-fs-known-" + Guid.NewGuid().ToString("N"))), Ask: null),
        };
        using var screen = await ScreenHarness.Start(settings, columns: 200);
        await screen.Press(Key.Enter);
        await screen.WaitForText("* you are in the room as alice");
        await screen.WaitForText($"· TLS {room.Fingerprint}");
    }
}
