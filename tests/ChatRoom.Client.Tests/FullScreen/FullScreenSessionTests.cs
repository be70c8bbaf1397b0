using ChatRoom.Client.FullScreen;
using ChatRoom.Client.Shell;
using ChatRoom.Client.Tests.EndToEnd;
using Terminal.Gui.Input;

namespace ChatRoom.Client.Tests.FullScreen;

/// <summary>
/// The full-screen client's session beyond one connection, against a real server: it comes back after a restart
/// with the half-typed line kept, shows the lag, keeps a login token with <c>--remember</c>, and asks before
/// trusting a certificate it has never seen.
/// </summary>
[Collection(FullScreenCollection.Name)]
public class FullScreenSessionTests
{
    private static string TempPath(string what) => Path.Combine(Path.GetTempPath(), $"chatroom-fs-{what}-{Guid.NewGuid():N}");

    [Fact]
    public async Task After_a_server_restart_it_comes_back_by_itself_and_keeps_the_half_typed_line()
    {
        await using var room = TestRoom.Start();
        using var screen = await ScreenHarness.Start(ScreenHarness.For(room, "alice"), columns: 120);
        await screen.Press(Key.Enter);
        await screen.WaitForText("* you are in the room as alice");
        await screen.Type("half a li");

        await room.Restart();
        await screen.WaitForText("reconnecting in");
        await screen.WaitForText("reconnected to 127.0.0.1:");
        await screen.WaitFor(s => s.Any(r => r.Contains("in the room as alice on")), "the status line back in the room");
        Assert.Equal("half a li", await screen.OnUi((w, _) => w.Compose.Text));
        Assert.False(await screen.OnUi((w, _) => w.Nick.Enabled), "the login area stays locked while the client comes back");

        await screen.Type("ne");
        await screen.Press(Key.Enter);
        await screen.WaitForText("] alice: half a line");
    }

    [Fact]
    public async Task The_status_line_shows_the_lag_measured_by_the_clients_own_ping()
    {
        await using var room = TestRoom.Start();
        using var screen = await ScreenHarness.Start(ScreenHarness.For(room, "alice"), columns: 120);
        await screen.Press(Key.Enter);
        var shown = await screen.WaitFor(s => s.Any(r => r.Contains("in the room as alice on") && r.Contains(" · lag ") && r.Contains(" ms")),
            "the lag in the status line");
        Assert.DoesNotContain(shown, r => r.Contains("PING") || r.Contains("PONG"));
    }

    [Fact]
    public async Task With_remember_the_first_login_keeps_a_token_and_the_next_join_needs_no_password()
    {
        await using var room = TestRoom.Start();
        var tokenPath = TempPath("token");
        try
        {
            var first = ScreenHarness.For(room, "alice") with { Remember = true, TokenPath = tokenPath };
            using (var screen = await ScreenHarness.Start(first, columns: 140))
            {
                await screen.Press(Key.Enter);
                await screen.WaitForText($"stay logged in: the login token is kept in {tokenPath}");
                if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenPath));
                await screen.Press(Key.Q.WithCtrl);
                Assert.Equal(0, await screen.Ended());
            }

            var again = ScreenHarness.For(room, "alice", password: "") with { Remember = true, TokenPath = tokenPath, Trace = true };
            using var back = await ScreenHarness.Start(again, columns: 140);
            await back.OnUi((_, s) => s.Join());
            var joined = await back.WaitForText("* you are in the room as alice");
            Assert.Contains(joined, r => r.Contains("> RESUME alice ***"));
            Assert.DoesNotContain(joined, r => r.Contains("> LOGIN"));
        }
        finally
        {
            File.Delete(tokenPath);
            File.Delete(tokenPath + ".seen");
        }
    }

    [Fact]
    public async Task A_refused_token_is_deleted_and_the_login_area_asks_for_the_password()
    {
        await using var room = TestRoom.Start();
        var tokenPath = TempPath("token");
        try
        {
            File.WriteAllText(tokenPath, $"{new string('x', 32)} {DateTimeOffset.UtcNow.AddDays(1):yyyy-MM-dd'T'HH:mm:ss'Z'}\n");
            var settings = ScreenHarness.For(room, "alice", password: "") with { Remember = true, TokenPath = tokenPath };
            using var screen = await ScreenHarness.Start(settings, columns: 140);
            await screen.OnUi((_, s) => s.Join());
            await screen.WaitForText("the stored login token was refused: type the password and press Join");
            Assert.False(File.Exists(tokenPath));
            Assert.True(await screen.OnUi((w, _) => w.Password.HasFocus && w.Password.Enabled));

            await screen.Type(TestRoom.Passwords["alice"]);
            await screen.Press(Key.Enter);
            await screen.WaitForText("* you are in the room as alice");
            await screen.WaitForText("stay logged in");
            Assert.True(File.Exists(tokenPath));
        }
        finally
        {
            File.Delete(tokenPath);
            File.Delete(tokenPath + ".seen");
        }
    }

    [Fact]
    public async Task With_remember_and_no_token_kept_an_empty_password_is_named_and_the_nickname_shown_whole()
    {
        var settings = new FullScreenSettings("127.0.0.1", 1, "bob_smith", "", Bell: true, Trace: false) { Remember = true, TokenPath = TempPath("none") };
        using var screen = await ScreenHarness.Start(settings, columns: 120);
        await screen.OnUi((_, s) => s.Join());
        await screen.WaitForText("the password is missing: no login token is kept for bob_smith on 127.0.0.1:1");
        Assert.False(await screen.OnUi((_, s) => s.InSession));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_unknown_certificate_is_asked_about_and_only_a_trusted_one_is_remembered(bool trust)
    {
        await using var room = TestRoom.Start(tls: true);
        var knownHosts = TempPath("known_hosts");
        try
        {
            var settings = new FullScreenSettings("127.0.0.1", room.TlsPort, "alice", TestRoom.Passwords["alice"], Bell: true, Trace: false)
            {
                Tls = new TlsSettings(None, TrustNew: false, new KnownHosts(knownHosts), Ask: null),
            };
            using var screen = await ScreenHarness.Start(settings, columns: 160, rows: 40);
            await screen.Press(Key.Enter);
            var asked = await screen.WaitForText("Unknown certificate");
            Assert.Contains(asked, r => r.Contains(room.Fingerprint[..40]));
            Assert.Contains(asked, r => r.Contains(Path.GetFileName(knownHosts)));
            Assert.True(await screen.OnUi((w, _) => w.Trust.Refuse.HasFocus), "Enter alone must not trust");

            await screen.OnUi((w, _) => (trust ? w.Trust.Accept : w.Trust.Refuse).InvokeCommand(Command.Accept));
            if (trust)
            {
                await screen.WaitForText("* you are in the room as alice");
                Assert.Contains(room.Fingerprint, File.ReadAllText(knownHosts));
            }
            else
            {
                await screen.WaitForText("was not trusted");
                Assert.False(File.Exists(knownHosts) && File.ReadAllText(knownHosts).Contains(room.Fingerprint));
                Assert.False(await screen.OnUi((_, s) => s.InSession));
            }
            await screen.WaitFor(s => !s.Any(r => r.Contains("Unknown certificate")), "the question closed");
        }
        finally
        {
            File.Delete(knownHosts);
        }
    }
}
