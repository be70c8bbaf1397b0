using ChatRoom.Core.Client;
using System.Globalization;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>
/// The real <c>chatroom --tls</c> against a real TLS port: the certificate is trusted by fingerprint or on first
/// use, a changed or unknown one is refused with exit code 5, and nothing is sent before it is trusted.
/// </summary>
public sealed class TlsClientTests : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), "chatroom-client-config-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_config)) Directory.Delete(_config, recursive: true);
    }

    private string KnownHosts => Path.Combine(_config, "chatroom", "known_hosts");

    private ChatProcess Client(TestRoom room, string script, params string[] options) =>
        ChatProcess.Start(["--tls", "--port", room.TlsPort.ToString(CultureInfo.InvariantCulture), "--user", "alice", "--batch", .. options],
            script, TestRoom.Passwords["alice"], new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = _config });

    [Fact]
    public async Task An_unknown_certificate_in_a_script_exits_5_before_logging_in()
    {
        await using var room = TestRoom.Start(tls: true);
        await using var client = Client(room, "/quit\n");
        Assert.Equal(ExitCodes.Untrusted, await client.Exit());
        Assert.Contains("is not known: give --fingerprint, or --trust-new", client.Stderr);
        Assert.Contains(room.Fingerprint, client.Stderr);
        Assert.Equal(0, await Closed(room));
        Assert.False(File.Exists(KnownHosts));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Trust_new_remembers_the_certificate_owner_only_and_the_next_run_needs_no_flag()
    {
        await using var room = TestRoom.Start(tls: true);
        await using (var first = Client(room, "/quit\n", "--trust-new"))
        {
            Assert.Equal(ExitCodes.Ok, await first.Exit());
            Assert.Contains(first.Stdout, l => l.Contains("you are in the room as alice"));
        }
        Assert.Equal($"127.0.0.1:{room.TlsPort} {room.Fingerprint}", File.ReadAllText(KnownHosts).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KnownHosts));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(KnownHosts)!));

        await using var again = Client(room, "/quit\n");
        Assert.Equal(ExitCodes.Ok, await again.Exit());
    }

    [Fact]
    public async Task A_changed_certificate_is_refused_with_5_even_with_trust_new()
    {
        await using var room = TestRoom.Start(tls: true);
        var other = "SHA256:" + string.Join(':', Enumerable.Repeat("AB", 32));
        Directory.CreateDirectory(Path.GetDirectoryName(KnownHosts)!);
        File.WriteAllText(KnownHosts, $"127.0.0.1:{room.TlsPort} {other}\n");

        await using var client = Client(room, "/quit\n", "--trust-new");
        Assert.Equal(ExitCodes.Untrusted, await client.Exit());
        Assert.Contains($"has changed since you trusted it (it was {other}, it is now {room.Fingerprint})", client.Stderr);
        Assert.Contains($"remove the line for 127.0.0.1:{room.TlsPort} from {KnownHosts}", client.Stderr);
    }

    [Fact]
    public async Task An_unreadable_known_hosts_file_is_refused_with_5_even_with_trust_new_and_is_not_rewritten()
    {
        await using var room = TestRoom.Start(tls: true);
        Directory.CreateDirectory(KnownHosts); // a folder where the file should be: it cannot be read (even by root)

        await using var client = Client(room, "/quit\n", "--trust-new");
        Assert.Equal(ExitCodes.Untrusted, await client.Exit());
        Assert.Contains($"cannot read {KnownHosts}", client.Stderr);
        Assert.True(Directory.Exists(KnownHosts));
    }

    [Fact]
    public async Task The_right_fingerprint_is_trusted_in_any_spelling_and_a_wrong_one_exits_5()
    {
        await using var room = TestRoom.Start(tls: true);
        var bare = room.Fingerprint["SHA256:".Length..].Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
        await using (var right = Client(room, "/quit\n", "--fingerprint", bare))
            Assert.Equal(ExitCodes.Ok, await right.Exit());

        var wrong = "SHA256:" + string.Join(':', Enumerable.Repeat("00", 32));
        await using var refused = Client(room, "/quit\n", "--fingerprint", wrong);
        Assert.Equal(ExitCodes.Untrusted, await refused.Exit());
        Assert.Contains($"expected {wrong}, got {room.Fingerprint}", refused.Stderr);
        Assert.False(File.Exists(KnownHosts));
    }

    [Fact]
    public async Task Fingerprint_without_tls_or_malformed_is_a_usage_error()
    {
        await using var plain = ChatProcess.Start(["--port", "1", "--user", "alice", "--fingerprint", "SHA256:" + new string('A', 64)], "", "pw");
        Assert.Equal(ExitCodes.Usage, await plain.Exit());
        Assert.Contains("go with --tls", plain.Stderr);
        await using var malformed = ChatProcess.Start(["--tls", "--port", "1", "--user", "alice", "--fingerprint", "abc"], "", "pw");
        Assert.Equal(ExitCodes.Usage, await malformed.Exit());
        Assert.Contains("--fingerprint must be a SHA-256 fingerprint", malformed.Stderr);
    }

    // The client closed its connection at once: the server sees it go within the deadline.
    private static async Task<int> Closed(TestRoom room)
    {
        var deadline = DateTime.UtcNow + ChatProcess.Deadline;
        while (room.Server.OpenConnections > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        return room.Server.OpenConnections;
    }
}
