using LanguageExt;
using static LanguageExt.Prelude;
using ChatRoom.Core.Auth;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace ChatRoom.Host.Tests.Cluster;

/// <summary>The cluster's accounts bucket as two hosts in this process see it: compare-and-set, the watcher, import, NATS away.</summary>
public sealed class ClusterAccountsTests
{
    private static ClusterOptions Options(NatsServer nats, string room = "main") => new() { Url = nats.Url, Room = room };

    private static async Task<ClusterAccounts> Open(NatsServer nats, string room = "main") =>
        (await ClusterAccounts.Open(Options(nats, room), PasswordHash.MinIterations)).ThrowIfFail();

    private static Fin<UserDirectory> Add(IAccounts accounts, string nick) =>
        accounts.Update(d => d.Add(new UserAccount(nick, accounts.Hash($"pw-{nick}"))));

    /// <summary>Polls a condition the watcher makes true, under a deadline.</summary>
    private static async Task Eventually(Func<bool> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {seconds} s: {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Runs a change on a thread of its own, as the server's password checks do: a change waits for NATS, and forty
    /// of them blocking pool threads would starve the pool that carries NATS's replies.
    /// </summary>
    private static Task<T> OnThread<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true }.Start();
        return done.Task;
    }

    private static string[] Nicks(IAccounts accounts) => accounts.Snapshot.List().Map(a => a.Nick).ToArray();

    [Fact]
    public async Task Concurrent_adds_of_different_users_on_two_hosts_keep_every_one()
    {
        using var nats = NatsServer.StartNew();
        await using var a = await Open(nats);
        await using var b = await Open(nats);
        var nicks = Enumerable.Range(1, 40).Select(i => $"user{i:00}").ToArray();
        // Each host adds every other one, each add on a thread of its own, all at once.
        var adds = nicks.Select((nick, i) => OnThread(() => Add(i % 2 == 0 ? a : b, nick))).ToArray();
        var results = await Task.WhenAll(adds);
        Assert.All(results, r => Assert.True(r.IsSucc, r.Match(_ => "", e => e.Message)));
        await Eventually(() => Nicks(a).Length == 40 && Nicks(b).Length == 40, "both hosts see the 40 accounts");
        Assert.Equal(nicks, Nicks(a));
        Assert.Equal(nicks, Nicks(b));
    }

    [Fact]
    public async Task The_same_user_added_on_two_hosts_at_once_is_kept_once_and_the_other_is_refused()
    {
        using var nats = NatsServer.StartNew();
        await using var a = await Open(nats);
        await using var b = await Open(nats);
        for (var i = 0; i < 20; i++)
        {
            var nick = $"twin{i:00}";
            var both = await Task.WhenAll(OnThread(() => Add(a, nick)), OnThread(() => Add(b, nick)));
            Assert.Equal(1, both.Count(r => r.IsSucc));
            Assert.Contains("already exists", both.Single(r => r.IsFail).Match(_ => "", e => e.Message));
        }
        await Eventually(() => Nicks(a).Length == 20 && Nicks(b).Length == 20, "both hosts see the 20 accounts");
    }

    [Fact]
    public async Task A_password_change_on_one_host_is_seen_by_the_other_and_a_removal_is_reported_there()
    {
        using var nats = NatsServer.StartNew();
        await using var a = await Open(nats);
        await using var b = await Open(nats);
        var removed = new List<string>();
        b.Removed += nicks => { lock (removed) removed.AddRange(nicks); };
        Assert.True(Add(a, "Alice").IsSucc);
        await Eventually(() => b.Snapshot.Find("alice").IsSome, "b sees Alice");

        var hash = a.Hash("new password");
        Assert.True(a.Update(d => d.SetPassword("alice", hash)).IsSucc);
        await Eventually(() => b.Snapshot.Find("alice").Exists(x => x.Hash.Format() == hash.Format()), "b sees the new hash");

        Assert.True(b.Update(d => d.Remove("ALICE")).IsSucc);
        await Eventually(() => a.Snapshot.Find("alice").IsNone, "a sees the removal");
        lock (removed) Assert.Equal(["Alice"], removed);
        Assert.Contains("no such user", a.Update(d => d.Remove("alice")).Match(_ => "", e => e.Message));
    }

    [Fact]
    public async Task A_removal_does_not_undo_the_account_re_added_elsewhere_that_the_watcher_took_before_the_removal_returned()
    {
        using var nats = NatsServer.StartNew();
        await using var b = await Open(nats);
        Func<Task>? afterDelete = null;
        await using var a = (await ClusterAccounts.Open(Options(nats), PasswordHash.MinIterations,
            store => KVStoreProxy.AfterDelete(store, () => afterDelete?.Invoke() ?? Task.CompletedTask))).ThrowIfFail();
        Assert.True(Add(a, "ann").IsSucc);
        await Eventually(() => b.Snapshot.Find("ann").IsSome, "b sees ann");

        // Right after a's delete is done, and before a takes it in, b adds ann anew and a's watcher takes that in.
        afterDelete = async () =>
        {
            afterDelete = null;
            await Eventually(() => b.Snapshot.Find("ann").IsNone, "b sees the removal");
            Assert.True((await OnThread(() => Add(b, "ann"))).IsSucc);
            await Eventually(() => a.Snapshot.Find("ann").IsSome, "a's watcher takes the new ann");
        };
        Assert.True(a.Update(d => d.Remove("ann")).IsSucc);
        Assert.Null(afterDelete);

        Assert.True(a.Snapshot.Find("ann").IsSome, "a's removal, taken in last, undid the newer ann");
        Assert.Equal(b.Snapshot.Find("ann").Map(x => x.Hash.Format()), a.Snapshot.Find("ann").Map(x => x.Hash.Format()));
    }

    [Fact]
    public async Task Keys_are_hex_of_the_folded_nickname_and_values_hold_the_hash_only()
    {
        using var nats = NatsServer.StartNew();
        await using var a = await Open(nats);
        Assert.True(Add(a, "北落").IsSucc);
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        var kv = new NatsKVContext(new NatsJSContext(connection));
        var store = await kv.GetStoreAsync("chatroom-main-accounts");
        var entry = await store.GetEntryAsync<string>(ClusterKeys.Account("北落"));
        Assert.Equal(Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes("北落")), entry.Key);
        Assert.StartsWith("{\"nick\":\"北落\",\"hash\":\"pbkdf2-sha256$", System.Text.RegularExpressions.Regex.Unescape(entry.Value!));
        Assert.DoesNotContain("pw-", entry.Value);
    }

    [Fact]
    public async Task Two_first_hosts_importing_the_same_users_file_at_once_import_each_account_once()
    {
        using var nats = NatsServer.StartNew();
        using var dir = new TempDir();
        var file = UserStore.Open(dir.File("users.json"), PasswordHash.MinIterations).ThrowIfFail();
        var nicks = Enumerable.Range(1, 30).Select(i => $"old{i:00}").ToArray();
        Assert.True(file.Update(d => nicks.Aggregate(FinSucc(d), (x, n) => x.Bind(y => y.Add(new UserAccount(n, file.Hash("pw")))))).IsSucc);
        await using var a = await Open(nats);
        await using var b = await Open(nats);

        var imports = await Task.WhenAll(OnThread(() => a.Import(file.Current)), OnThread(() => b.Import(file.Current)));
        var counts = imports.Select(i => i.ThrowIfFail()).ToArray();
        Assert.Equal(30, counts.Sum(c => c.Added));
        Assert.Equal(30, counts.Sum(c => c.Present));
        // Once: the bucket's stream holds one message per account, none overwritten.
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        var status = await (await new NatsKVContext(new NatsJSContext(connection)).GetStoreAsync("chatroom-main-accounts")).GetStatusAsync();
        Assert.Equal(30ul, status.Info.State.LastSeq);
        await Eventually(() => Nicks(a).Length == 30 && Nicks(b).Length == 30, "both hosts see the 30 accounts");
        Assert.Equal(file.Current.Find("old07").Map(x => x.Hash.Format()), a.Snapshot.Find("old07").Map(x => x.Hash.Format()));
    }

    [Fact]
    public async Task With_NATS_stopped_the_accounts_stay_in_force_changes_fail_naming_the_bucket_and_all_resumes_after_restart()
    {
        using var nats = NatsServer.StartNew();
        await using var a = await Open(nats);
        await using var b = await Open(nats);
        var problems = new List<string>();
        a.Problem += p => { lock (problems) problems.Add(p); };
        Assert.True(Add(a, "ann").IsSucc);
        await Eventually(() => b.Snapshot.Find("ann").IsSome, "b sees ann");

        nats.Stop();
        await Eventually(() => { lock (problems) return problems.Count > 0; }, "a reports that NATS is gone");
        Assert.True(a.Snapshot.Find("ann").IsSome);
        Assert.True(Authenticator.Authenticate(b.Snapshot, "ann", "pw-ann") == AuthVerdict.Accepted);
        var refused = Add(a, "bea");
        Assert.Contains("chatroom-main-accounts", refused.Match(_ => "", e => e.Message));
        Assert.Contains(nats.Url, refused.Match(_ => "", e => e.Message));

        nats.Start();
        // b adds once NATS is back (its first tries may fall in the reconnection), and a's watcher sees it.
        await Eventually(() => Add(b, "cat").IsSucc || b.Snapshot.Find("cat").IsSome, "b adds cat after the restart", 20);
        await Eventually(() => a.Snapshot.Find("cat").IsSome, "a sees cat", 20);
        Assert.True(a.Snapshot.Find("ann").IsSome);
        lock (problems) Assert.Single(problems);
    }
}
