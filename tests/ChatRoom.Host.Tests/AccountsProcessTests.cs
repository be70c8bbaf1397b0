using ChatRoom.Core.Auth;

namespace ChatRoom.Host.Tests;

/// <summary>
/// <c>chatroom-host users ...</c> as real processes, several at once and against a running server: no account is
/// lost, the file stays owner-only, leftovers go, and a removed account leaves the room.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class AccountsProcessTests
{
    private static readonly string[] Cheap = ["--HashIterations", "1000"];

    private static async Task<(int Code, string Output)> Users(string cwd, string data, string? stdin, params string[] args)
    {
        using var p = HostProcess.StartWith(cwd, stdin, null, ["users", .. args, "--data", data, .. Cheap]);
        var code = await p.Exited(120);
        return (code, p.Output);
    }

    private static string[] Nicks(string data) =>
        UserStore.Open(Path.Combine(data, "users.json"), PasswordHash.MinIterations).ThrowIfFail().Current.List().Map(a => a.Nick).ToArray();

    private static UnixFileMode Mode(string path) => File.GetUnixFileMode(path);

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnly = OwnerReadWrite | UnixFileMode.UserExecute;

    [LinuxFact]
    public async Task Twenty_concurrent_users_add_processes_keep_all_twenty_accounts()
    {
        using var dir = new TempDir();
        var data = dir.File("data");
        Directory.CreateDirectory(data);
        // A reader in this process rereads the file throughout, as a running server does: it never sees a bad file.
        var watcher = UserStore.Open(Path.Combine(data, "users.json"), PasswordHash.MinIterations).ThrowIfFail();
        var problems = new List<string>();
        watcher.Problem += problems.Add;
        var nicks = Enumerable.Range(1, 20).Select(i => $"user{i:00}").ToArray();
        var adds = nicks.Select(n => Users(dir.Path, data, $"{n} pass\n", "add", n)).ToArray();
        var all = Task.WhenAll(adds);
        for (var i = 0; i < 100_000 && !all.IsCompleted; i++)
        {
            watcher.Refresh();
            await Task.WhenAny(all, Task.Delay(5));
        }
        var results = await all;
        Assert.All(results, r => Assert.True(r.Code == 0, r.Output));
        Assert.Equal(nicks, Nicks(data));
        Assert.Equal(nicks, watcher.Refresh().List().Map(a => a.Nick).ToArray());
        Assert.Empty(problems);
        Assert.Empty(Directory.GetFiles(data, "*.tmp"));
    }

    [LinuxFact]
    public async Task The_users_file_is_created_0600_in_a_folder_0700_and_stays_0600_after_every_write()
    {
        using var dir = new TempDir();
        var data = dir.File("fresh/data");
        var file = Path.Combine(data, "users.json");
        Assert.Equal(0, (await Users(dir.Path, data, "pw one\n", "add", "ann")).Code);
        Assert.Equal(OwnerOnly, Mode(data));
        Assert.Equal(OwnerReadWrite, Mode(file));
        Assert.Equal(OwnerReadWrite, Mode(file + ".lock"));

        File.SetUnixFileMode(file, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // chmod 644
        Assert.Equal(0, (await Users(dir.Path, data, "pw two\n", "add", "ben")).Code);
        Assert.Equal(OwnerReadWrite, Mode(file));
        File.SetUnixFileMode(file, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal(0, (await Users(dir.Path, data, "pw three\n", "passwd", "ann")).Code);
        Assert.Equal(OwnerReadWrite, Mode(file));
        File.SetUnixFileMode(file, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal(0, (await Users(dir.Path, data, null, "remove", "ben")).Code);
        Assert.Equal(OwnerReadWrite, Mode(file));
        Assert.Equal(OwnerOnly, Mode(data));
        Assert.Empty(Directory.GetFiles(data, "*.tmp"));
    }

    [LinuxFact]
    public async Task Temporary_files_left_by_a_killed_writer_are_removed_on_the_next_start()
    {
        using var dir = new TempDir();
        var data = dir.File("data");
        Assert.Equal(0, (await Users(dir.Path, data, "pw\n", "add", "ann")).Code);
        var dead = DeadPid();
        var leftover = Path.Combine(data, $"users.json.{dead}.tmp");
        File.WriteAllText(leftover, "{ \"version\": 1, \"users\": [ { \"nick\": \"ann\", \"hash\": \"pbkdf2-sha256$1000$...\" } ] }");
        File.SetUnixFileMode(leftover, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var alive = Path.Combine(data, $"users.json.{Environment.ProcessId}.tmp"); // a writer still running: left alone
        File.WriteAllText(alive, "{}");

        Assert.Equal(0, (await Users(dir.Path, data, null, "list")).Code);
        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(alive));

        File.WriteAllText(leftover, "{}");
        using var server = HostProcess.Start(dir.Path, [.. Cheap, "--port", "0", "--data", data]);
        await server.Listening();
        Assert.False(File.Exists(leftover));
    }

    [LinuxFact]
    public async Task A_writer_waits_for_the_lock_another_process_holds_and_then_adds()
    {
        using var dir = new TempDir();
        var data = dir.File("data");
        Assert.Equal(0, (await Users(dir.Path, data, "pw\n", "add", "ann")).Code);
        // util-linux flock(1) takes the same flock(LOCK_EX) that .NET's FileShare.None takes: an independent check.
        var info = new System.Diagnostics.ProcessStartInfo("flock", ["-x", Path.Combine(data, "users.json.lock"), "-c", "echo held; read line"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        using var holder = System.Diagnostics.Process.Start(info)!;
        holder.StandardInput.AutoFlush = true;
        Assert.Equal("held", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        var adding = Users(dir.Path, data, "pw\n", "add", "ben");
        await Task.WhenAny(adding, Task.Delay(TimeSpan.FromSeconds(3)));
        Assert.False(adding.IsCompleted, "users add went ahead while another process held the lock");
        Assert.Equal(["ann"], Nicks(data));
        await holder.StandardInput.WriteLineAsync("done");
        var (code, output) = await adding;
        Assert.True(code == 0, output);
        Assert.Equal(["ann", "ben"], Nicks(data));
        await holder.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [LinuxFact]
    public async Task With_dotnet_file_locking_disabled_a_write_is_refused_rather_than_raced()
    {
        using var dir = new TempDir();
        var data = dir.File("data");
        using var p = HostProcess.StartWith(dir.Path, "pw\n", new Dictionary<string, string> { ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1" },
            ["users", "add", "ann", "--data", data, .. Cheap]);
        Assert.Equal(1, await p.Exited(60));
        Assert.Contains("file locking is disabled", p.Output);
        Assert.False(File.Exists(Path.Combine(data, "users.json")));
    }

    [Fact]
    public async Task Users_remove_disconnects_the_member_with_bye_account_removed_and_frees_the_nickname()
    {
        using var dir = new TempDir();
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        await using var bob = await server.Login("bob");
        await alice.ExpectStartsWith("JOINED");

        var (code, output) = await Users(dir.Path, server.Data, null, "remove", "alice");
        Assert.True(code == 0, output);
        Assert.Equal(["BYE account removed"], await alice.ExpectClosed(TimeSpan.FromSeconds(10)));
        await bob.WaitFor(l => l.StartsWith("LEFT ") && l.EndsWith(" alice account removed"), "LEFT alice account removed");

        await using var again = await server.Connect();
        await again.ExpectHello();
        await again.Send($"LOGIN alice {TestServer.Accounts["alice"]}");
        Assert.Equal(["DENIED invalid nickname or password"], await again.ExpectClosed());
    }

    [Fact]
    public async Task With_open_registration_a_removed_nickname_can_be_registered_again()
    {
        using var dir = new TempDir();
        await using var server = TestServer.Start(openRegistration: true);
        await using var alice = await server.Login("alice");
        Assert.Equal(0, (await Users(dir.Path, server.Data, null, "remove", "alice")).Code);
        Assert.Equal(["BYE account removed"], await alice.ExpectClosed(TimeSpan.FromSeconds(10)));

        await using var newcomer = await server.Connect();
        await newcomer.ExpectHello();
        await newcomer.Send("LOGIN alice a new password");
        await newcomer.Expect("WELCOME alice");
    }

    [Fact]
    public async Task Users_commands_racing_open_registration_lose_no_account()
    {
        using var dir = new TempDir();
        // All the logins come from 127.0.0.1: let them all be checked at once rather than answered busy.
        await using var server = TestServer.Start(l => l with { MaxChecksInFlight = 16, MaxChecksPerAddress = 16 }, openRegistration: true);
        var cli = Enumerable.Range(1, 8).Select(i => $"cli{i}").ToArray();
        var registered = Enumerable.Range(1, 8).Select(i => $"reg{i}").ToArray();
        var adds = cli.Select(n => Users(dir.Path, server.Data, "pw\n", "add", n)).ToArray();
        var logins = registered.Select(async n =>
        {
            await using var client = await server.Connect();
            await client.ExpectHello();
            await client.Send($"LOGIN {n} {n} pass");
            await client.Expect($"WELCOME {n}");
        }).ToArray();
        await Task.WhenAll(logins);
        var results = await Task.WhenAll(adds);
        Assert.All(results, r => Assert.True(r.Code == 0, r.Output));
        Assert.Equal(TestServer.Accounts.Keys.Concat(cli).Concat(registered).Order(StringComparer.Ordinal),
            Nicks(server.Data).Order(StringComparer.Ordinal));
    }

    private static int DeadPid()
    {
        for (var pid = 4_000_000; pid > 1000; pid--)
            if (!Directory.Exists($"/proc/{pid}")) return pid;
        throw new InvalidOperationException("no free pid");
    }
}
