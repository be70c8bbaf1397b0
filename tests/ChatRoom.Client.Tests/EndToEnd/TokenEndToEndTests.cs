using ChatRoom.Core.Client;
using System.Globalization;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>The real <c>chatroom</c> staying logged in against a real server: --token-file, --remember, /logout.</summary>
public class TokenEndToEndTests
{
    private static string[] Args(TestRoom room, string nick, params string[] more) =>
        ["--port", room.Port.ToString(CultureInfo.InvariantCulture), "--user", nick, .. more];

    private static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "chatroom-token-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public async Task A_token_file_lets_the_next_run_in_without_a_password_and_logout_revokes_and_deletes_it()
    {
        await using var room = TestRoom.Start();
        var folder = TempFolder();
        var file = Path.Combine(folder, "alice.token");

        await using (var first = room.Client("alice", "", "--token-file", file))
        {
            Assert.Equal(0, await first.Exit());
            Assert.True(File.Exists(file), first.Stderr);
        }
        var token = File.ReadAllText(file).Split(' ')[0];
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        // No password anywhere: only the token can log this run in.
        await using (var second = ChatProcess.Start(Args(room, "alice", "--token-file", file, "--json", "--trace"), "", password: null))
        {
            Assert.Equal(0, await second.Exit());
            Assert.Contains(second.Events, e => e.GetProperty("type").GetString() == "welcome");
            Assert.DoesNotContain(token, second.Stderr + string.Join("\n", second.Stdout));
        }

        await using (var third = ChatProcess.Start(Args(room, "alice", "--token-file", file), "/logout\n", password: null))
        {
            Assert.Equal(0, await third.Exit());
            Assert.False(File.Exists(file));
        }

        // The revoked token no longer works: written back by hand, it is refused, and without a password the run stops.
        File.WriteAllText(file, $"{token} 2099-01-01T00:00:00Z\n");
        await using var fourth = ChatProcess.Start(Args(room, "alice", "--token-file", file), "", password: null);
        Assert.Equal(ExitCodes.Usage, await fourth.Exit());
        Assert.Contains("refused", fourth.Stderr + string.Join("\n", fourth.Stdout));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task A_refused_token_falls_back_to_the_password_and_a_new_token_is_kept()
    {
        await using var room = TestRoom.Start();
        var file = Path.Combine(TempFolder(), "bob.token");
        var bogus = new string('Q', 43);
        File.WriteAllText(file, $"{bogus} 2099-01-01T00:00:00Z\n");

        await using var bob = room.Client("bob", "", "--token-file", file, "--json");
        Assert.Equal(0, await bob.Exit());
        Assert.Contains(bob.Events, e => e.GetProperty("type").GetString() == "welcome");
        var kept = File.ReadAllText(file).Split(' ')[0];
        Assert.NotEqual(bogus, kept);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", kept);
    }

    [Fact]
    public async Task Remember_keeps_the_token_under_the_config_folder_keyed_by_server_and_nick()
    {
        await using var room = TestRoom.Start();
        var config = TempFolder();
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = config };
        await using (var first = ChatProcess.Start(Args(room, "carol", "--remember"), "", TestRoom.Passwords["carol"], environment))
            Assert.Equal(0, await first.Exit());

        var tokens = Path.Combine(config, "chatroom", "tokens");
        // The token, and next to it the newest seq seen (for showing only what was missed next time).
        var file = Assert.Single(Directory.GetFiles(tokens), f => !f.EndsWith(".seen", StringComparison.Ordinal));
        Assert.Equal($"127.0.0.1-{room.Port}-carol", Path.GetFileName(file));
        Assert.Equal([file, file + ".seen"], Directory.GetFiles(tokens).Order());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file + ".seen"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(tokens));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(tokens)!));
        }

        await using var second = ChatProcess.Start(Args(room, "carol", "--remember", "--json"), "", password: null, environment);
        Assert.Equal(0, await second.Exit());
        Assert.Contains(second.Events, e => e.GetProperty("type").GetString() == "welcome");
    }
}
