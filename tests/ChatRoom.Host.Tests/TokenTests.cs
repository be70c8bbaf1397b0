using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatRoom.Core.Auth;

namespace ChatRoom.Host.Tests;

/// <summary>Resume tokens on a real server: issued, used, revoked, kept across restarts, and fast under load.</summary>
public class TokenTests
{
    private static readonly string[] Cheap = ["--HashIterations", "1000"];

    /// <summary>Asks for a token on a logged-in connection and returns it.</summary>
    internal static async Task<string> AskToken(TestClient client)
    {
        await client.Send("TOKEN");
        var line = await client.WaitFor(l => l.StartsWith("TOKEN "), "TOKEN <token> <expires>");
        var parts = line.Split(' ');
        Assert.Equal(3, parts.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", parts[1]);
        Assert.True(DateTimeOffset.Parse(parts[2]) > DateTimeOffset.UtcNow.AddDays(29));
        return parts[1];
    }

    private static async Task<TestClient> Resume(IPEndPoint endpoint, string nick, string token)
    {
        var client = await TestClient.Connect(endpoint);
        await client.ExpectHello();
        await client.Send($"RESUME {nick} {token}");
        return client;
    }

    [Fact]
    public async Task A_token_lets_the_member_back_in_without_the_password_and_only_its_hash_is_stored()
    {
        await using var server = TestServer.Start();
        string token;
        await using (var alice = await server.Login("alice")) token = await AskToken(alice);

        await server.Logs.WaitFor(l => l.Contains("disconnected alice"), "alice leaving");
        await using var back = await Resume(server.Endpoint, "ALICE", token);
        await back.Expect("WELCOME alice");

        var file = Path.Combine(server.Data, "tokens.json");
        Assert.DoesNotContain(token, File.ReadAllText(file));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal([TokenStore.HashOf(token)], json.RootElement.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("hash").GetString()));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.All(server.Logs.Lines, l => Assert.DoesNotContain(token, l));
    }

    [Fact]
    public async Task A_wrong_token_is_denied_like_a_wrong_password_and_five_start_the_cool_down()
    {
        await using var server = TestServer.Start();
        string token;
        await using (var alice = await server.Login("alice")) token = await AskToken(alice);
        await server.Logs.WaitFor(l => l.Contains("disconnected alice"), "alice leaving");

        for (var i = 0; i < 5; i++)
        {
            await using var guess = await Resume(server.Endpoint, "alice", new string((char)('a' + i), 43));
            Assert.Equal(["DENIED invalid nickname or password"], await guess.ExpectClosed());
        }
        await using var honest = await Resume(server.Endpoint, "alice", token);
        Assert.Equal(["DENIED too many attempts"], await honest.ExpectClosed());
    }

    [Fact]
    public async Task An_account_keeps_at_most_its_quota_of_tokens_and_the_oldest_goes_first()
    {
        await using var server = TestServer.Start(limits: l => l with { MaxTokensPerAccount = 2 });
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await using var alice = await server.Login("alice");
            tokens.Add(await AskToken(alice));
            await alice.Send("QUIT");
            await alice.ExpectClosed();
            await server.Logs.WaitFor(l => l.Contains("disconnected alice"), "alice leaving");
        }
        await using (var oldest = await Resume(server.Endpoint, "alice", tokens[0]))
            Assert.Equal(["DENIED invalid nickname or password"], await oldest.ExpectClosed());
        foreach (var kept in tokens.Skip(1))
        {
            await using var back = await Resume(server.Endpoint, "alice", kept);
            await back.Expect("WELCOME alice");
            await back.ExpectStartsWith("USERS");
            await back.Send("QUIT");
            await back.ExpectClosed();
        }
    }

    [Fact]
    public async Task FORGET_revokes_the_token_at_once()
    {
        await using var server = TestServer.Start();
        string token;
        await using (var alice = await server.Login("alice")) token = await AskToken(alice);
        await server.Logs.WaitFor(l => l.Contains("disconnected alice"), "alice leaving");

        await using (var back = await Resume(server.Endpoint, "alice", token))
        {
            await back.Expect("WELCOME alice");
            await back.ExpectStartsWith("USERS");
            await back.Send("FORGET");
            await back.Expect("FORGOTTEN");
            await back.Send("QUIT");
            await back.ExpectClosed();
        }
        await server.Logs.WaitFor(l => l.Contains("disconnected alice"), "alice leaving again");
        await using var again = await Resume(server.Endpoint, "alice", token);
        Assert.Equal(["DENIED invalid nickname or password"], await again.ExpectClosed());
    }

    [Fact]
    public async Task RESUME_is_answered_at_once_while_every_password_check_is_held()
    {
        using var release = new ManualResetEventSlim();
        AuthVerdict Held(UserDirectory users, string nick, string password)
        {
            if (nick != "alice") release.Wait(TimeSpan.FromSeconds(30));
            return Authenticator.Authenticate(users, nick, password);
        }
        await using var server = TestServer.Start(authenticate: Held);
        string token;
        await using (var alice = await server.Login("alice")) token = await AskToken(alice);
        await server.Logs.WaitFor(l => l.Contains("disconnected alice"), "alice leaving");

        // The only checking thread is held by bob's check and carol's waits behind it: the queue is busy.
        await using var bob = await server.Connect();
        await using var carol = await server.Connect();
        await bob.ExpectHello();
        await carol.ExpectHello();
        await bob.Send("LOGIN bob bob-pass");
        await carol.Send("LOGIN carol whatever");
        await carol.Send("PING");
        await carol.Expect("PONG");

        var clock = Stopwatch.StartNew();
        await using var back = await Resume(server.Endpoint, "alice", token);
        var welcome = await back.Next(TimeSpan.FromSeconds(2));
        clock.Stop();
        release.Set();
        Assert.Equal("WELCOME alice", welcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"RESUME took {clock.Elapsed.TotalMilliseconds:0} ms");
        await bob.Expect("WELCOME bob");
    }

    [Fact]
    public async Task A_thousand_RESUMEs_with_random_tokens_cost_little_and_are_throttled()
    {
        await using var server = TestServer.Start(limits: l => l with { MaxConnectionsPerAddress = 2000, MaxAnonymousPerAddress = 2000 });
        var clock = Stopwatch.StartNew();
        using var inFlight = new SemaphoreSlim(50);
        var answers = await Task.WhenAll(Enumerable.Range(0, 1000).Select(async i =>
        {
            await inFlight.WaitAsync();
            try
            {
                await using var guess = await Resume(server.Endpoint, "alice", Convert.ToHexString(Guid.NewGuid().ToByteArray()));
                return (await guess.ExpectClosed(TimeSpan.FromSeconds(30))).SingleOrDefault();
            }
            finally
            {
                inFlight.Release();
            }
        }));
        clock.Stop();
        var counts = answers.GroupBy(a => a ?? "<nothing>").ToDictionary(g => g.Key, g => g.Count());
        Assert.True(counts.GetValueOrDefault("DENIED invalid nickname or password") == 5, string.Join(", ", counts));
        Assert.True(counts.GetValueOrDefault("DENIED too many attempts") == 995, string.Join(", ", counts));
        // A generous bound for a shared 2-core machine: a thousand password checks would take minutes.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"1000 RESUMEs took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_token_survives_a_server_restart()
    {
        using var dir = new TempDir();
        string password, token;
        using (var host = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]))
        {
            var endpoint = await host.Listening();
            password = Regex.Match(host.Output, @"^\s+alice\s+(\S+)$", RegexOptions.Multiline).Groups[1].Value;
            await using var alice = await TestClient.Connect(endpoint);
            await alice.ExpectHello();
            await alice.Send($"LOGIN alice {password}");
            await alice.Expect("WELCOME alice");
            token = await AskToken(alice);
            host.Terminate();
            Assert.Equal(0, await host.Exited());
            Assert.DoesNotContain(token, host.Output);
        }
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("data/tokens.json")));

        using var again = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]);
        await using var back = await Resume(await again.Listening(), "alice", token);
        await back.Expect("WELCOME alice");
    }

    [Fact]
    public async Task A_token_forgotten_just_before_a_shutdown_stays_revoked_after_the_restart()
    {
        using var dir = new TempDir();
        string token;
        using (var host = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]))
        {
            var endpoint = await host.Listening();
            var password = Regex.Match(host.Output, @"^\s+alice\s+(\S+)$", RegexOptions.Multiline).Groups[1].Value;
            await using var alice = await TestClient.Connect(endpoint);
            await alice.ExpectHello();
            await alice.Send($"LOGIN alice {password}");
            await alice.Expect("WELCOME alice");
            token = await AskToken(alice);
            await alice.Send("FORGET");
            await alice.WaitFor(l => l == "FORGOTTEN", "FORGOTTEN");
            host.Terminate();
            Assert.Equal(0, await host.Exited());
        }

        using var again = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]);
        await using var back = await Resume(await again.Listening(), "alice", token);
        Assert.Equal(["DENIED invalid nickname or password"], await back.ExpectClosed());
    }

    [Fact]
    public async Task Users_passwd_and_users_remove_revoke_the_accounts_tokens_while_the_server_runs()
    {
        using var dir = new TempDir();
        using var host = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0"]);
        var endpoint = await host.Listening();
        var passwords = Regex.Matches(host.Output, @"^\s+(alice|bob|carol)\s+(\S+)$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var tokens = new Dictionary<string, string>();
        foreach (var nick in new[] { "alice", "bob", "carol" })
        {
            await using var client = await TestClient.Connect(endpoint);
            await client.ExpectHello();
            await client.Send($"LOGIN {nick} {passwords[nick]}");
            await client.Expect($"WELCOME {nick}");
            tokens[nick] = await AskToken(client);
        }
        await host.WaitForOutput(o => Regex.Matches(o, "disconnected (alice|bob|carol)").Count == 3, "three disconnects");

        async Task Users(string? stdin, params string[] args)
        {
            using var p = HostProcess.StartWith(dir.Path, stdin, null, [.. args, .. Cheap]);
            Assert.Equal(0, await p.Exited());
        }
        await Users("a new password\n", "users", "passwd", "alice");
        await Users(null, "users", "remove", "bob");

        await using (var alice = await Resume(endpoint, "alice", tokens["alice"]))
            Assert.Equal(["DENIED invalid nickname or password"], await alice.ExpectClosed());
        await using (var bob = await Resume(endpoint, "bob", tokens["bob"]))
            Assert.Equal(["DENIED invalid nickname or password"], await bob.ExpectClosed());
        await using var carol = await Resume(endpoint, "carol", tokens["carol"]);
        await carol.Expect("WELCOME carol");
    }

    [Fact]
    public async Task A_token_dies_with_its_account_removed_by_editing_users_json_even_when_the_nickname_is_added_again()
    {
        await using var server = TestServer.Start();
        string token;
        await using (var alice = await server.Login("alice")) token = await AskToken(alice);
        await server.Logs.WaitFor(l => l.Contains("disconnected alice"), "alice leaving");

        // By hand, as PROTOCOL.md allows: no users command runs, so nothing revokes the token file's entries.
        var users = JsonNode.Parse(File.ReadAllText(server.Users.Path))!;
        var list = users["users"]!.AsArray();
        list.Remove(list.Single(u => (string?)u!["nick"] == "alice"));
        File.WriteAllText(server.Users.Path, users.ToJsonString());
        server.Users.Update(d => d.Add(new UserAccount("alice", server.Users.Hash("someone else's pass")))).ThrowIfFail();
        using (var tokens = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(server.Data, "tokens.json"))))
            Assert.Single(tokens.RootElement.GetProperty("tokens").EnumerateArray()); // still on file: the binding alone must refuse it

        await using (var old = await Resume(server.Endpoint, "alice", token))
            Assert.Equal(["DENIED invalid nickname or password"], await old.ExpectClosed());

        // The new owner's own login and tokens work as usual.
        await using var owner = await server.Connect();
        await owner.ExpectHello();
        await owner.Send("LOGIN alice someone else's pass");
        await owner.Expect("WELCOME alice");
        var fresh = await AskToken(owner);
        await owner.Send("QUIT");
        await owner.ExpectClosed();
        await using var back = await Resume(server.Endpoint, "alice", fresh);
        await back.Expect("WELCOME alice");
    }

    [Fact]
    public async Task After_users_passwd_a_TOKEN_asked_by_a_session_from_before_it_gives_a_token_RESUME_refuses()
    {
        await using var server = TestServer.Start();
        await using var thief = await server.Login("alice");

        server.Users.Update(d => d.SetPassword("alice", server.Users.Hash("the owner's new pass"))).ThrowIfFail();
        AccountChanges.Applied(server.Users, "alice", AccountChange.PasswordChanged).ThrowIfFail();
        var minted = await AskToken(thief); // still online: the passwd does not disconnect, and TOKEN is answered
        await thief.Send("QUIT");
        await thief.ExpectClosed();

        await using (var again = await Resume(server.Endpoint, "alice", minted))
            Assert.Equal(["DENIED invalid nickname or password"], await again.ExpectClosed());

        // The owner, logged in with the new password, gets tokens that work.
        await using var owner = await server.Connect();
        await owner.ExpectHello();
        await owner.Send("LOGIN alice the owner's new pass");
        await owner.Expect("WELCOME alice");
        var good = await AskToken(owner);
        await owner.Send("QUIT");
        await owner.ExpectClosed();
        await using var back = await Resume(server.Endpoint, "alice", good);
        await back.Expect("WELCOME alice");
    }

    [Fact]
    public async Task A_token_file_from_before_password_stamps_is_read_and_its_tokens_are_refused_then_dropped()
    {
        var data = Path.Combine(Path.GetTempPath(), "chatroom-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        const string old = "oooooooooooooooooooooooooooooooooooooooooo0";
        var file = Path.Combine(data, "tokens.json");
        File.WriteAllText(file, $$"""
            {"version":1,"tokens":[{"hash":"{{TokenStore.HashOf(old)}}","nick":"alice","issued":"2026-11-01T00:00:00+00:00","expires":"2099-01-01T00:00:00+00:00"}]}
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var server = TestServer.Start(data: data);

        await using (var stale = await Resume(server.Endpoint, "alice", old))
            Assert.Equal(["DENIED invalid nickname or password"], await stale.ExpectClosed());

        await using (var alice = await server.Login("alice")) await AskToken(alice);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal(TokenStore.FileVersion, json.RootElement.GetProperty("version").GetInt32());
        var entry = Assert.Single(json.RootElement.GetProperty("tokens").EnumerateArray());
        Assert.NotEqual(TokenStore.HashOf(old), entry.GetProperty("hash").GetString());
        Assert.Equal(server.Users.Current.Find("alice").Map(a => a.Hash.Stamp()).IfNone("none"), entry.GetProperty("stamp").GetString());
    }
}
