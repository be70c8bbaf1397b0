namespace ChatRoom.Host.Tests.Cluster;

/// <summary>
/// A real chatroom-host process in a cluster beside an in-process host, on a real nats-server: killed with
/// SIGKILL while the others chat, and started again.
/// </summary>
public sealed class ClusterProcessTests
{
    [LinuxFact]
    public async Task A_host_killed_with_kill_9_has_its_members_leave_once_within_the_timeout_and_comes_back_caught_up()
    {
        using var nats = NatsServer.StartNew();
        var cluster = new ClusterOptions { Url = nats.Url, Room = "kill" + Guid.NewGuid().ToString("N")[..8], HostTimeoutSeconds = 2 };
        await using var a = TestServer.Start(openRegistration: true, cluster: cluster);
        var data = Directory.CreateTempSubdirectory("chatroom-cluster-").FullName;
        string[] args = ["--Port", "0", "--Data", data, "--OpenRegistration", "true", "--HashIterations", "1000",
            "--Cluster:Url", nats.Url, "--Cluster:Room", cluster.Room, "--Cluster:HostTimeoutSeconds", "2", "--Tls:Enabled", "false"];
        try
        {
            await using var alice = await a.Login("alice");
            await using var carol = await a.Login("carol");
            using var b = HostProcess.Start(data, args);
            await using var v1 = await Join(await b.Listening(), "victim1");
            await using var v2 = await Join(await b.Listening(), "victim2");
            await alice.WaitSeen(l => l.EndsWith(" victim2"), "JOINED victim2");

            // alice and carol chat while B dies.
            var chatting = Task.Run(async () =>
            {
                for (var i = 0; i < 40; i++)
                {
                    await carol.Send($"SAY tick{i}");
                    await Task.Delay(100);
                }
            });
            await Task.Delay(300);
            b.Process.Kill(); // SIGKILL: B writes no LEFT
            var killed = DateTime.UtcNow;
            await alice.WaitSeen(l => l.StartsWith("LEFT ") && l.Contains(" victim1 "), "LEFT victim1", TimeSpan.FromSeconds(10));
            await alice.WaitSeen(l => l.StartsWith("LEFT ") && l.Contains(" victim2 "), "LEFT victim2", TimeSpan.FromSeconds(10));
            var noticed = DateTime.UtcNow - killed;
            Assert.True(noticed < TimeSpan.FromSeconds(2 + 3), $"members of the killed host left after {noticed.TotalSeconds:0.0} s");
            await chatting;
            await carol.Send("SAY done");
            await alice.WaitFor(l => l.EndsWith("carol done"), "the last message", TimeSpan.FromSeconds(10));
            Assert.Single(alice.Seen, l => l.StartsWith("LEFT ") && l.Contains(" victim1 "));
            Assert.Single(alice.Seen, l => l.StartsWith("LEFT ") && l.Contains(" victim2 "));
            Assert.Equal(41, alice.Seen.Count(l => l.StartsWith("MESSAGE ") && l.Contains(" carol ")));

            // B comes back (a new run, a new host name) and catches up: its newcomer sees the room as it is.
            using var again = HostProcess.Start(data, args);
            await using var back = await TestClient.Connect(await again.Listening());
            await back.ExpectHello();
            await back.Send("LOGIN victim1 pw-victim1");
            await back.WaitFor(l => l == "WELCOME victim1", "WELCOME", TimeSpan.FromSeconds(15));
            await back.Expect("USERS alice carol victim1");
            await alice.WaitFor(l => l.StartsWith("JOINED ") && l.EndsWith(" victim1"), "victim1 back");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<TestClient> Join(System.Net.IPEndPoint endpoint, string nick)
    {
        var client = await TestClient.Connect(endpoint);
        await client.ExpectHello();
        await client.Send($"LOGIN {nick} pw-{nick}");
        await client.WaitFor(l => l == $"WELCOME {nick}", $"WELCOME {nick}", TimeSpan.FromSeconds(15));
        return client;
    }
}
