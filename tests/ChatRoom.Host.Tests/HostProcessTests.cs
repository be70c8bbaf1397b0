using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ChatRoom.Host.Tests;

/// <summary>The executable as a user meets it: first start, accounts, bad files, signals, memory.</summary>
public class HostProcessTests
{
    // Hashing at the default cost takes ~0.1 s per account; the tests lower it through the documented setting.
    private static readonly string[] Cheap = ["--HashIterations", "1000"];

    [Fact]
    public async Task First_start_creates_demo_accounts_stores_only_hashes_and_the_printed_passwords_work()
    {
        using var dir = new TempDir();
        using var host = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]);
        var endpoint = await host.Listening();
        var passwords = Regex.Matches(host.Output, @"^\s+(alice|bob|carol)\s+(\S+)$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(["alice", "bob", "carol"], passwords.Keys.Order());

        var file = File.ReadAllText(Path.Combine(dir.Path, "data", "users.json"));
        Assert.All(passwords.Values, p => Assert.DoesNotContain(p, file));
        using var json = JsonDocument.Parse(file);
        Assert.All(json.RootElement.GetProperty("users").EnumerateArray(),
            u => Assert.StartsWith("pbkdf2-sha256$", u.GetProperty("hash").GetString()));

        await using var alice = await TestClient.Connect(endpoint);
        await alice.ExpectHello();
        await alice.Send($"LOGIN alice {passwords["alice"]}");
        await alice.Expect("WELCOME alice");
        await host.WaitForOutput(o => o.Contains("connection request from 127.0.0.1:") && o.Contains("login accepted: alice"), "connection and login log lines");
        Assert.Single(Regex.Matches(host.Output, Regex.Escape(passwords["alice"]))); // printed once, never logged
    }

    [Fact]
    public async Task Ctrl_C_or_SIGTERM_says_bye_to_everyone_and_exits_0_within_5_seconds()
    {
        using var dir = new TempDir();
        using var host = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]);
        var endpoint = await host.Listening();
        var password = Regex.Match(host.Output, @"^\s+alice\s+(\S+)$", RegexOptions.Multiline).Groups[1].Value;
        await using var alice = await TestClient.Connect(endpoint);
        await alice.ExpectHello();
        await alice.Send($"LOGIN alice {password}");
        await alice.Expect("WELCOME alice");
        await alice.ExpectStartsWith("USERS");

        var clock = Stopwatch.StartNew();
        host.Terminate();
        Assert.Equal(["BYE server shutting down"], await alice.ExpectClosed());
        Assert.Equal(0, await host.Exited(10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains("server stopped", host.Output);
    }

    [Fact]
    public async Task A_malformed_users_file_stops_the_server_with_a_message_naming_the_file()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("data"));
        File.WriteAllText(dir.File("data/users.json"), """{ "version": 1, "users": [ { "nick": "alice", "hash": "plaintext!" } ] }""");
        using var host = HostProcess.Start(dir.Path, "--port", "0");
        Assert.Equal(1, await host.Exited());
        Assert.Contains("malformed users file", host.Output);
        Assert.Contains(Path.Combine(dir.Path, "data", "users.json"), host.Output);
        Assert.DoesNotContain("listening on", host.Output);

        File.WriteAllText(dir.File("data/users.json"), "{ not json");
        using var again = HostProcess.Start(dir.Path, "--port", "0");
        Assert.Equal(1, await again.Exited());
        Assert.Contains("malformed users file", again.Output);
    }

    [Fact]
    public async Task Users_commands_add_list_passwd_and_remove_accounts_with_a_piped_password()
    {
        using var dir = new TempDir();
        var data = dir.File("store");
        async Task<(int Code, string Output)> Run(string? stdin, params string[] args)
        {
            using var p = HostProcess.StartWith(dir.Path, stdin, null, [.. args, "--data", data, .. Cheap]);
            var code = await p.Exited();
            return (code, p.Output);
        }

        Assert.Equal(0, (await Run("first pass 北\n", "users", "add", "北落")).Code);
        Assert.Equal(0, (await Run("x\n", "users", "add", "zed")).Code);
        var duplicate = await Run("y\n", "users", "add", "ZED");
        Assert.Equal(1, duplicate.Code);
        Assert.Contains("already exists", duplicate.Output);
        Assert.Equal(1, (await Run("y\n", "users", "add", "bad nick")).Code);
        Assert.Equal(["zed", "北落"], (await Run(null, "users", "list")).Output.Split('\n').Order());
        Assert.Equal(0, (await Run("second pass\n", "users", "passwd", "北落")).Code);
        Assert.Equal(0, (await Run(null, "users", "remove", "zed")).Code);
        Assert.Equal(1, (await Run(null, "users", "remove", "zed")).Code);
        var file = File.ReadAllText(Path.Combine(data, "users.json"));
        Assert.DoesNotContain("pass", file);
        Assert.DoesNotContain("zed", file);
        Assert.Empty(Directory.GetFiles(data, "*.tmp"));

        using var host = HostProcess.Start(dir.Path, "--port", "0", "--data", data);
        var endpoint = await host.Listening();
        await using var client = await TestClient.Connect(endpoint);
        await client.ExpectHello();
        await client.Send("LOGIN 北落 second pass");
        await client.Expect("WELCOME 北落");
    }

    [Fact]
    public async Task A_megabyte_line_gets_413_and_the_servers_memory_does_not_grow_with_it()
    {
        using var dir = new TempDir();
        using var host = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]);
        var endpoint = await host.Listening();
        await using var client = await TestClient.Connect(endpoint);
        await client.ExpectHello();
        await client.SendBytes(new byte[1024 * 1024]); // warm up the paths that allocate
        await client.Expect("ERROR 413 line too long (limit 1024 bytes)"); // not logged in: the shorter limit
        var before = host.RssBytes();

        var chunk = new byte[1024 * 1024];
        Array.Fill(chunk, (byte)'a');
        for (var i = 0; i < 64; i++) await client.SendBytes(chunk); // 64 MB more, still no newline
        await client.Send("");
        await client.Send("PING done");
        await client.Expect("PONG done");
        var growth = host.RssBytes() - before;
        Assert.True(growth < 16 * 1024 * 1024, $"RSS grew by {growth / 1024} KiB while a 64 MiB line streamed in");
    }

    [Fact]
    public async Task Command_line_beats_environment_which_beats_appsettings()
    {
        using var dir = new TempDir();
        var env = new Dictionary<string, string>
        {
            ["CHATROOM_LIMITS__MAXCONNECTIONS"] = "1",
            ["CHATROOM_LIMITS__LOGINTIMEOUTSECONDS"] = "3",
            ["CHATROOM_LIMITS__TICKSECONDS"] = "0.1",
        };
        // The environment lowers the login timeout (appsettings says 30 s) and the connection limit (20000);
        // the command line raises the connection limit again to 2. The timeout is long enough (3 s) that the
        // first connection cannot time out before the third arrives, even on a loaded machine.
        using var host = HostProcess.StartWith(dir.Path, null, env, [.. Cheap, "--port", "0", "--Limits:MaxConnections", "2"]);
        var endpoint = await host.Listening();
        await using var one = await TestClient.Connect(endpoint);
        await one.ExpectHello();
        await using var two = await TestClient.Connect(endpoint);
        await two.ExpectHello();
        // A third connection takes the place of the oldest that has not logged in.
        await using var three = await TestClient.Connect(endpoint);
        await three.ExpectHello();
        Assert.Equal(["BYE server full"], await one.ExpectClosed());
        Assert.Equal(["BYE login timeout"], await two.ExpectClosed());
    }

    [Fact]
    public async Task Invalid_settings_stop_the_server_with_a_clear_message()
    {
        using var dir = new TempDir();
        using var host = HostProcess.Start(dir.Path, "--port", "70000", "--bind", "not-an-ip");
        Assert.Equal(1, await host.Exited());
        Assert.Contains("Port 70000 is out of range", host.Output);
        Assert.Contains("Bind 'not-an-ip' is not an IP address", host.Output);
    }
}
