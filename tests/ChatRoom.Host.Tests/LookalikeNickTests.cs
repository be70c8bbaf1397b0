namespace ChatRoom.Host.Tests;

/// <summary>Nicknames that cannot impersonate (UTS #39), through a real server and the real executable.</summary>
public class LookalikeNickTests
{
    private static readonly string[] Cheap = ["--HashIterations", "1000"];

    [Fact]
    public async Task A_look_alike_login_while_alice_is_online_is_refused_with_423_and_may_pick_another_name()
    {
        await using var server = TestServer.Start(openRegistration: true);
        await using var alice = await server.Login("alice");
        await using var mallory = await server.Connect();
        await mallory.ExpectHello();

        await mallory.Send("LOGIN aIice some pass");
        await mallory.Expect("ERROR 423 nickname aIice looks like alice, who is online");
        await mallory.Send("LOGIN \u0251lice some pass");
        await mallory.Expect("ERROR 423 nickname \u0251lice looks like alice, who is online");
        await mallory.Send("LOGIN \u0430lice some pass");
        await mallory.ExpectStartsWith("ERROR 422 invalid nickname: mixes scripts");
        await mallory.Send("LOGIN alice\u034F some pass");
        await mallory.Expect("ERROR 422 invalid nickname: invisible character U+034F");

        await mallory.Send("LOGIN mallory some pass");
        await mallory.Expect("WELCOME mallory");
        await alice.WaitFor(l => l == "JOINED 2 mallory", "announcing mallory");
    }

    [Fact]
    public async Task Registering_a_look_alike_of_an_offline_account_is_refused_with_423()
    {
        await using var server = TestServer.Start(openRegistration: true);
        await using var mallory = await server.Connect();
        await mallory.ExpectHello();
        await mallory.Send("LOGIN \u0251lice some pass");
        await mallory.Expect("ERROR 423 nickname looks like an existing account's, choose another: \u0251lice");
        await mallory.Send("LOGIN 小明 some pass");
        await mallory.Expect("WELCOME 小明");
    }

    [Fact]
    public async Task Users_add_refuses_a_look_alike_of_an_existing_account()
    {
        using var dir = new TempDir();
        var data = dir.File("store");
        async Task<(int Code, string Output)> Run(string? stdin, params string[] args)
        {
            using var p = HostProcess.StartWith(dir.Path, stdin, null, [.. args, "--data", data, .. Cheap]);
            var code = await p.Exited();
            return (code, p.Output);
        }

        Assert.Equal(0, (await Run("alice pass\n", "users", "add", "alice")).Code);
        var lookalike = await Run("evil pass\n", "users", "add", "al\u0131ce");
        Assert.Equal(1, lookalike.Code);
        Assert.Contains("nickname 'al\u0131ce' looks like the account 'alice'", lookalike.Output);
        // Refused before any password is asked for: with nothing on standard input the answer is the same.
        var unasked = await Run(null, "users", "add", "aIice");
        Assert.Equal(1, unasked.Code);
        Assert.Contains("nickname 'aIice' looks like the account 'alice'", unasked.Output);
        Assert.DoesNotContain("password", unasked.Output);
        var invisible = await Run("evil pass\n", "users", "add", "alice\uFE0F");
        Assert.Equal(1, invisible.Code);
        Assert.Contains("invisible character U+FE0F", invisible.Output);
        Assert.Equal(0, (await Run("name pass\n", "users", "add", "田中さん")).Code);
        Assert.Equal(["alice", "田中さん"], (await Run(null, "users", "list")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
    }

    [Fact]
    public async Task Without_icu_the_server_runs_logs_it_once_and_refuses_only_non_ascii_nicknames()
    {
        using var dir = new TempDir();
        var data = dir.File("store");
        var invariant = new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" };
        using (var add = HostProcess.StartWith(dir.Path, "alice pass\n", invariant, ["users", "add", "alice", "--data", data, .. Cheap]))
            Assert.Equal(0, await add.Exited());

        using var host = HostProcess.StartWith(dir.Path, null, invariant, ["--port", "0", "--data", data, .. Cheap]);
        var endpoint = await host.Listening();
        await host.WaitForOutput(o => o.Contains("only ASCII nicknames are accepted"), "the no-ICU warning");
        await using var client = await TestClient.Connect(endpoint);
        await client.ExpectHello();
        await client.Send("LOGIN 北落 some pass");
        await client.ExpectStartsWith("ERROR 422 invalid nickname: this server cannot check non-ASCII nicknames");
        await client.Send("LOGIN alice alice pass");
        await client.Expect("WELCOME alice");
        await using var mallory = await TestClient.Connect(endpoint);
        await mallory.ExpectHello();
        await mallory.Send("LOGIN aIice some pass"); // ASCII keeps its look-alike keys without ICU
        await mallory.Expect("ERROR 423 nickname aIice looks like alice, who is online");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(host.Output, "only ASCII nicknames are accepted"));
    }
}
