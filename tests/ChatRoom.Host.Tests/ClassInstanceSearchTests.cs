namespace ChatRoom.Host.Tests;

/// <summary>
/// LanguageExt searches every loaded type for a class instance the first time a default one (EqDefault,
/// OrdDefault) is used: 45 MiB of type data in this server, and the code behind its NativeAOT warnings. The core
/// names its instances (Core/Room/Instances.cs) so the search never runs. This drives a real server through a
/// session that touches every part of the room, and asks the JIT (its summary of compiled methods) whether the
/// search's constructor was ever compiled, which it must be before it can run.
/// </summary>
public sealed class ClassInstanceSearchTests
{
    [LinuxFact]
    public async Task A_whole_session_never_makes_LanguageExt_search_for_class_instances()
    {
        using var dir = new TempDir();
        var jitLog = dir.File("jit.txt");
        var env = new Dictionary<string, string> { ["DOTNET_JitDisasmSummary"] = "1", ["DOTNET_JitStdOutFile"] = jitLog };
        string[] cheap = ["--HashIterations", "1000", "--data", dir.File("data")];
        using (var add = HostProcess.StartWith(dir.Path, "alice pass\nalice pass\n", null, ["users", "add", "alice", .. cheap]))
            Assert.Equal(0, await add.Exited());
        using (var add = HostProcess.StartWith(dir.Path, "bob pass\nbob pass\n", null, ["users", "add", "bob", .. cheap]))
            Assert.Equal(0, await add.Exited());

        using var host = HostProcess.StartWith(dir.Path, null, env, [.. cheap, "--port", "0", "--Limits:TickSeconds", "0.1"]);
        var endpoint = await host.Listening();
        await using (var stranger = await TestClient.Connect(endpoint))
        {
            await stranger.ExpectHello();
            await stranger.Send("SAY too early");
            await stranger.Send("LOGIN nobody secret");
            Assert.Equal(["ERROR 401 log in first", "DENIED invalid nickname or password"], await stranger.ExpectClosed());
        }
        await using (var wrong = await TestClient.Connect(endpoint))
        {
            await wrong.ExpectHello();
            await wrong.Send("LOGIN bob wrong");
            Assert.Equal(["DENIED invalid nickname or password"], await wrong.ExpectClosed());
        }
        async Task<TestClient> LogIn(string nick)
        {
            var client = await TestClient.Connect(endpoint);
            await client.ExpectHello();
            await client.Send($"LOGIN {nick} {nick} pass");
            await client.Expect($"WELCOME {nick}");
            return client;
        }
        await using var alice = await LogIn("alice");
        await using var bob = await LogIn("bob");
        await alice.WaitFor(l => l.EndsWith(" bob"), "bob's JOINED");

        // A user added while the server runs is picked up at the next login.
        using (var add = HostProcess.StartWith(dir.Path, "carol pass\ncarol pass\n", null, ["users", "add", "carol", .. cheap]))
            Assert.Equal(0, await add.Exited());
        await using (var carol = await LogIn("carol"))
        {
            await carol.Send("QUIT bye");
            await alice.WaitFor(l => l.StartsWith("LEFT ") && l.Contains(" carol "), "carol's LEFT");
        }

        await alice.Send("SAY hello");
        await bob.WaitFor(l => l.EndsWith(" alice hello"), "alice's message");
        await alice.Send("WHISPER bob psst");
        await bob.WaitFor(l => l == "WHISPER alice bob psst", "the whisper");
        await alice.Send("WHISPER nobody psst");
        await alice.Send("WHO");
        await alice.Send("PING 1");
        await alice.Send("NOSUCHVERB");
        await alice.Send("SAY");
        await alice.WaitFor(l => l == "PONG 1", "the PONG");
        await bob.Send(string.Join("\n", Enumerable.Range(0, 25).Select(i => $"SAY burst {i}"))); // one write, past the burst of 20: ERROR 429
        await bob.WaitFor(l => l.StartsWith("ERROR 429"), "the rate limit");
        await bob.Send("LOGIN bob again");
        await bob.Send("QUIT");
        await alice.WaitFor(l => l.StartsWith("LEFT ") && l.Contains(" bob "), "bob's LEFT");

        host.Terminate();
        Assert.Equal(0, await host.Exited());
        var compiled = await File.ReadAllLinesAsync(jitLog);
        Assert.Contains(compiled, l => l.Contains("ChatRoom.Core.Room.Room:Whisper")); // the summary is there and complete
        Assert.DoesNotContain(compiled, l => l.Contains("LanguageExt.ClassInstances.ClassInstancesAssembly:.ctor"));
    }
}
