using ChatRoom.Core.Auth;

namespace ChatRoom.Host.Tests;

/// <summary>The users file as the running server holds it: bad changes keep the last good accounts.</summary>
public class UserStoreTests
{
    private static UserStore Open(string path) => UserStore.Open(path, PasswordHash.MinIterations).ThrowIfFail();

    private static void Add(UserStore store, string nick) =>
        store.Update(d => d.Add(new UserAccount(nick, store.Hash(nick + " pass")))).ThrowIfFail();

    private static async Task LoginWorks(TestServer server, string nick)
    {
        await using var client = await server.Login(nick);
        await client.Send("QUIT");
        await client.ExpectClosed();
    }

    private static string[] Errors(TestServer server) => server.Logs.Lines.Where(l => l.StartsWith("Error:")).ToArray();

    [Fact]
    public void A_file_that_never_existed_is_an_empty_directory_and_no_error()
    {
        using var dir = new TempDir();
        var store = Open(dir.File("data/users.json"));
        var problems = new List<string>();
        store.Problem += problems.Add;
        Assert.True(store.Refresh().Accounts.IsEmpty);
        Assert.False(store.Exists);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_users_file_that_disappears_keeps_the_last_accounts_and_logs_one_error_naming_it()
    {
        await using var server = TestServer.Start();
        var path = Path.Combine(server.Data, "users.json");
        File.Delete(path);
        await LoginWorks(server, "alice");
        await LoginWorks(server, "bob");
        await LoginWorks(server, "alice");
        var error = Assert.Single(Errors(server));
        Assert.Contains(path, error);
        Assert.Contains("disappeared", error);
    }

    [Fact]
    public async Task An_invalid_users_file_keeps_the_last_accounts_and_logs_one_error_per_change()
    {
        await using var server = TestServer.Start();
        var path = Path.Combine(server.Data, "users.json");
        File.WriteAllText(path, "{ not json");
        await LoginWorks(server, "alice");
        await LoginWorks(server, "bob");
        Assert.Contains(path, Assert.Single(Errors(server)));
        Assert.Contains("malformed users file", Errors(server)[0]);

        File.WriteAllText(path, """{ "version": 1, "users": [ { "nick": "alice", "hash": "plaintext!" } ] }""");
        await LoginWorks(server, "carol");
        await LoginWorks(server, "alice");
        Assert.Equal(2, Errors(server).Length);
        Assert.Contains("user #1 ('alice')", Errors(server)[1]);
    }

    [Fact]
    public async Task An_unreadable_users_file_keeps_the_last_accounts_and_logs_one_error_naming_it()
    {
        await using var server = TestServer.Start();
        var path = Path.Combine(server.Data, "users.json");
        // A folder in the file's place cannot be read, even by root (a chmod 000 file can).
        File.Delete(path);
        Directory.CreateDirectory(path);
        await LoginWorks(server, "alice");
        await LoginWorks(server, "dave");
        var error = Assert.Single(Errors(server));
        Assert.Contains($"cannot read users file {path}", error);
    }

    [Fact]
    public async Task A_users_file_that_comes_back_is_read_again()
    {
        await using var server = TestServer.Start();
        var path = Path.Combine(server.Data, "users.json");
        var saved = File.ReadAllBytes(path);
        File.Delete(path);
        await LoginWorks(server, "alice");
        File.WriteAllBytes(path, saved);
        Add(Open(path), "erin"); // another writer, as users add would
        await using var erin = await server.Connect();
        await erin.ExpectHello();
        await erin.Send("LOGIN erin erin pass");
        await erin.Expect("WELCOME erin");
    }

    [Fact]
    public void A_write_after_the_file_disappeared_keeps_the_accounts_last_read()
    {
        using var dir = new TempDir();
        var path = dir.File("users.json");
        var store = Open(path);
        Add(store, "alice");
        Add(store, "bob");
        File.Delete(path);
        store.Refresh();
        Add(store, "carol"); // a registration in the running server, say
        Assert.Equal(["alice", "bob", "carol"], Open(path).Current.List().Map(a => a.Nick).ToArray());
    }

    [Fact]
    public void An_invalid_file_is_never_overwritten()
    {
        using var dir = new TempDir();
        var path = dir.File("users.json");
        var store = Open(path);
        Add(store, "alice");
        File.WriteAllText(path, "{ half an edit");
        var result = store.Update(d => d.Add(new UserAccount("bob", store.Hash("pw"))));
        Assert.True(result.IsFail);
        Assert.Contains(path, result.Match(_ => "", e => e.Message));
        Assert.Equal("{ half an edit", File.ReadAllText(path));
    }

    [Fact]
    public void An_invalid_file_first_met_by_a_write_is_reported_once_too()
    {
        using var dir = new TempDir();
        var path = dir.File("users.json");
        var store = Open(path);
        Add(store, "alice");
        var problems = new List<string>();
        store.Problem += problems.Add;
        File.WriteAllText(path, "{ half an edit");
        Assert.True(store.Update(d => d.Add(new UserAccount("bob", store.Hash("pw")))).IsFail);
        Assert.True(store.Update(d => d.Add(new UserAccount("bob", store.Hash("pw")))).IsFail);
        Assert.Equal(["alice"], store.Refresh().List().Map(a => a.Nick).ToArray());
        Assert.Contains(path, Assert.Single(problems));
    }

    [Fact]
    public void A_change_made_by_another_writer_is_kept_by_the_next_write()
    {
        using var dir = new TempDir();
        var path = dir.File("users.json");
        var first = Open(path);
        var second = Open(path);
        Add(first, "alice");
        Add(second, "bob"); // second never read alice: it re-reads under the lock
        Add(first, "carol");
        Assert.Equal(["alice", "bob", "carol"], Open(path).Current.List().Map(a => a.Nick).ToArray());
    }

    [Fact]
    public void Accounts_removed_by_another_writer_are_reported_once()
    {
        using var dir = new TempDir();
        var path = dir.File("users.json");
        var server = Open(path);
        Add(server, "alice");
        Add(server, "bob");
        var removed = new List<string>();
        server.Removed += nicks => removed.AddRange(nicks);
        Open(path).Update(d => d.Remove("ALICE")).ThrowIfFail();
        server.Refresh();
        server.Refresh();
        Assert.Equal(["alice"], removed);
    }

    [Fact]
    public void A_password_change_within_the_same_clock_tick_is_still_seen()
    {
        using var dir = new TempDir();
        var path = dir.File("users.json");
        var server = Open(path);
        Add(server, "alice");
        Assert.Equal(AuthVerdict.Accepted, Authenticator.Authenticate(server.Current, "alice", "alice pass"));
        var admin = Open(path);
        admin.Update(d => d.SetPassword("alice", admin.Hash("new pass"))).ThrowIfFail(); // same size, maybe the same mtime
        Assert.Equal(AuthVerdict.Accepted, Authenticator.Authenticate(server.Current, "alice", "new pass"));
    }
}
