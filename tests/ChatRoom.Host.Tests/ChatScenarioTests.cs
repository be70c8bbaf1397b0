namespace ChatRoom.Host.Tests;

/// <summary>The original chat room's scenario, end to end over real sockets.</summary>
public class ChatScenarioTests
{
    [Fact]
    public async Task Three_users_see_each_other_join_and_every_message_in_the_same_order()
    {
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        await using var bob = await server.Login("bob");
        await alice.Expect("JOINED 2 bob");
        await using var carol = await server.Login("北落");
        await alice.Expect("JOINED 3 北落");
        await bob.Expect("JOINED 3 北落");

        await alice.Send("SAY hello from alice");
        await bob.Send("SAY 你好，北落！");
        await carol.Send("SAY 大家好");

        var transcripts = new List<List<string>>();
        foreach (var client in new[] { alice, bob, carol })
        {
            var lines = new List<string>();
            for (var i = 0; i < 3; i++) lines.Add(await client.WaitFor(l => l.StartsWith("MESSAGE "), "MESSAGE"));
            transcripts.Add(lines);
        }
        Assert.Equal(transcripts[0], transcripts[1]);
        Assert.Equal(transcripts[0], transcripts[2]);
        Assert.Contains(transcripts[0], l => l.EndsWith(" alice hello from alice"));
        Assert.Contains(transcripts[0], l => l.EndsWith(" bob 你好，北落！"));
        Assert.Contains(transcripts[0], l => l.EndsWith(" 北落 大家好"));
        var seqs = transcripts[0].Select(l => long.Parse(l.Split(' ')[1])).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal([4L, 5L, 6L], seqs);
    }

    [Fact]
    public async Task A_wrong_password_gets_denied_and_the_server_closes_the_connection()
    {
        await using var server = TestServer.Start();
        await using var client = await server.Connect();
        await client.ExpectHello();
        await client.Send("LOGIN alice not-the-password");
        Assert.Equal(["DENIED invalid nickname or password"], await client.ExpectClosed());
        var logged = await server.Logs.WaitFor(l => l.Contains("login refused"), "about the refusal");
        Assert.Contains("alice", logged);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("not-the-password"));
    }

    [Fact]
    public async Task An_unknown_user_gets_the_same_answer_as_a_wrong_password()
    {
        await using var server = TestServer.Start();
        await using var client = await server.Connect();
        await client.ExpectHello();
        await client.Send("LOGIN mallory alice pass");
        Assert.Equal(["DENIED invalid nickname or password"], await client.ExpectClosed());
    }

    [Theory]
    [InlineData("SAY hello")]
    [InlineData("LOGIN alice")]
    [InlineData("LOGIN alice ")]
    [InlineData("WHO")]
    public async Task Before_login_the_server_answers_log_in_first_and_keeps_the_connection(string line)
    {
        await using var server = TestServer.Start();
        await using var client = await server.Connect();
        await client.ExpectHello();
        await client.Send(line);
        Assert.StartsWith("ERROR 401 log in first", await client.Next());
        await client.Send($"LOGIN alice {TestServer.Accounts["alice"]}");
        await client.Expect("WELCOME alice");
    }

    [Fact]
    public async Task A_second_login_on_the_same_connection_is_refused()
    {
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        await alice.Send($"LOGIN bob {TestServer.Accounts["bob"]}");
        await alice.Expect("ERROR 403 identity cannot be changed after joining");
        await alice.Send("SAY still alice");
        await alice.Expect("MESSAGE 2 alice still alice");
    }

    [Fact]
    public async Task A_nickname_already_online_is_refused()
    {
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        await using var other = await server.Connect();
        await other.ExpectHello();
        await other.Send($"LOGIN ALICE {TestServer.Accounts["alice"]}");
        await other.Expect("ERROR 409 nickname already online: ALICE");
    }

    [Fact]
    public async Task A_user_who_quits_produces_left_for_the_others()
    {
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        await using var bob = await server.Login("bob");
        await alice.Expect("JOINED 2 bob");
        await bob.Send("QUIT see you");
        Assert.Equal(["BYE quit"], await bob.ExpectClosed());
        await alice.Expect("LEFT 3 bob see you");
    }

    [Fact]
    public async Task A_dropped_connection_produces_left_for_the_others()
    {
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        var bob = await server.Login("bob");
        await alice.Expect("JOINED 2 bob");
        await bob.DisposeAsync();
        Assert.Matches(@"^LEFT 3 bob connection (closed|reset|lost)$", await alice.Next());
    }

    [Fact]
    public async Task Whisper_reaches_only_its_target_and_confirms_to_the_sender()
    {
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        await using var bob = await server.Login("bob");
        await using var carol = await server.Login("carol");
        await alice.WaitFor(l => l == "JOINED 3 carol", "carol joined");
        await bob.Expect("JOINED 3 carol");
        await alice.Send("WHISPER bob 悄悄话");
        await bob.Expect("WHISPER alice bob 悄悄话");
        await alice.Expect("WHISPER alice bob 悄悄话");
        await carol.Send("SAY marker");
        await carol.Expect("MESSAGE 4 carol marker"); // carol's next line is her own message: no whisper came first
        await alice.Send("WHISPER nobody hi");
        await alice.WaitFor(l => l == "ERROR 404 no such user: nobody", "404");
    }

    [Fact]
    public async Task Who_lists_everyone_online()
    {
        await using var server = TestServer.Start();
        await using var alice = await server.Login("alice");
        await using var bob = await server.Login("北落");
        await alice.Expect("JOINED 2 北落");
        await alice.Send("WHO");
        var users = await alice.ExpectStartsWith("USERS ");
        Assert.Equal(["alice", "北落"], users.Split(' ').Skip(1).Order());
    }

    [Fact]
    public async Task Open_registration_creates_an_account_on_first_login()
    {
        await using var server = TestServer.Start(openRegistration: true);
        await using (var first = await server.Connect())
        {
            await first.ExpectHello();
            await first.Send("LOGIN newbie my new pass");
            await first.Expect("WELCOME newbie");
            await first.Send("QUIT");
        }
        await using var again = await server.Connect();
        await again.ExpectHello();
        await again.Send("LOGIN newbie wrong");
        Assert.Equal(["DENIED invalid nickname or password"], await again.ExpectClosed());
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("my new pass"));
    }
}
