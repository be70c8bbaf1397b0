using System.Threading.Channels;
using LanguageExt;
using static LanguageExt.Prelude;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace ChatRoom.Host.Tests.Cluster;

/// <summary>
/// The cluster's resume tokens as hosts in this process see them, where the watcher's timing matters: a full re-read
/// that crosses a token this host issues, and a revocation on a host that has not seen the token yet.
/// </summary>
public sealed class ClusterTokensTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly UserAccount Ann = new("ann", PasswordHash.Create("pw", new byte[16], PasswordHash.MinIterations).ThrowIfFail());
    private static readonly UserDirectory Users = UserDirectory.Empty.Add(Ann).ThrowIfFail();

    /// <summary>One host's token store on the room's tokens bucket, with what it tells the room collected.</summary>
    private sealed class TokenHost : IAsyncDisposable
    {
        private readonly Channel<Input> _posted = Channel.CreateUnbounded<Input>();
        private long _next;

        private TokenHost(NatsConnection connection, INatsKVStore store, INatsKVStore used)
        {
            Connection = connection;
            Store = store;
            Tokens = new ClusterTokens(connection, used, "test", () => Users, i => _posted.Writer.TryWrite(i), TimeProvider.System, NullLogger.Instance);
        }

        public NatsConnection Connection { get; }

        /// <summary>The bucket itself (not wrapped), to look at what it holds.</summary>
        public INatsKVStore Store { get; }

        public ClusterTokens Tokens { get; }

        public static async Task<TokenHost> Open(NatsServer nats, Func<INatsKVStore, INatsKVStore>? around = null)
        {
            var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
            var store = await new NatsKVContext(new NatsJSContext(connection)).CreateStoreAsync(new NatsKVConfig(ClusterKeys.TokensBucket("main")) { History = 1 });
            var host = new TokenHost(connection, store, (around ?? (s => s))(store));
            await host.Tokens.Ready.WaitAsync(Deadline);
            return host;
        }

        /// <summary>Issues a token for ann and waits until it is stored and handed out.</summary>
        public async Task<Secret> Issue(Option<Secret> replaces = default)
        {
            var id = new ConnectionId(Interlocked.Increment(ref _next));
            Tokens.Issue(new Effect.IssueToken(id, Ann.Nick, DateTimeOffset.UtcNow.AddDays(30), replaces, 10, Ann.Hash.Stamp()));
            using var deadline = new CancellationTokenSource(Deadline);
            while (true)
                if (await _posted.Reader.ReadAsync(deadline.Token) is Input.TokenIssued issued && issued.Id == id)
                    return issued.Token.Case is Secret token ? token : throw new InvalidOperationException("no token issued");
        }

        public bool Accepts(Secret token) => Tokens.Check(new Effect.CheckToken(new ConnectionId(0), Ann.Nick, token)).Expires.IsSome;

        public async Task<BucketEntry> Entry(Secret token)
        {
            var key = KeyOf(token);
            try
            {
                var entry = await Store.GetEntryAsync<byte[]>(key);
                return new BucketEntry(entry.Revision, entry.Value ?? []);
            }
            catch (NatsKVKeyDeletedException)
            {
                // The deletion marker's revision: the last (and, with a history of 1, only) entry of the key.
                await foreach (var e in Store.HistoryAsync<byte[]>(key))
                    if (e.Operation != NatsKVOperation.Put) return new BucketEntry(e.Revision, null);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            Tokens.Dispose();
            await Connection.DisposeAsync();
        }
    }

    private static string KeyOf(Secret token) => ClusterKeys.Token(Ann.Nick, TokenStore.HashOf(token.Value));

    /// <summary>Polls a condition the watcher makes true, under a deadline.</summary>
    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {Deadline.TotalSeconds} s: {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_full_reread_that_began_before_this_host_issued_a_token_keeps_the_token()
    {
        using var nats = NatsServer.StartNew();
        await using var a = await TokenHost.Open(nats);
        var first = await a.Issue();
        // What a re-read after a reconnection hands over when it read the bucket before the second token was put.
        var before = new Dictionary<string, BucketEntry>(StringComparer.Ordinal) { [KeyOf(first)] = await a.Entry(first) };
        var second = await a.Issue();

        // The test plays the watcher: the full copy arrives after the put, then the put itself as a change.
        a.Tokens.Synced(before);
        Assert.True(a.Accepts(first));
        Assert.True(a.Accepts(second), "a token this host issued while the re-read ran is refused");
        a.Tokens.Changed(KeyOf(second), await a.Entry(second));
        Assert.True(a.Accepts(second), "the put seen after the re-read does not bring the token back");
        Assert.Equal(2, a.Tokens.Count);
    }

    [Fact]
    public async Task A_token_revoked_on_a_host_that_has_not_seen_it_yet_is_deleted_from_the_bucket_and_refused_everywhere()
    {
        using var nats = NatsServer.StartNew();
        await using var a = await TokenHost.Open(nats);
        await using var b = await TokenHost.Open(nats, KVStoreProxy.Blind);
        var token = await a.Issue();
        Assert.True(a.Accepts(token));

        b.Tokens.Revoke(new Effect.RevokeToken("ANN", token));
        await b.Issue(); // b's writer takes changes in order: once this is answered, the revocation was written
        Assert.Null((await a.Entry(token)).Value);
        await Eventually(() => !a.Accepts(token), "a refuses the token b revoked");
    }

    [Fact]
    public async Task A_token_revoked_here_stays_refused_when_the_watcher_shows_its_put_only_afterwards()
    {
        using var nats = NatsServer.StartNew();
        await using var a = await TokenHost.Open(nats);
        await using var b = await TokenHost.Open(nats, KVStoreProxy.Blind);
        var token = await a.Issue();
        var put = await a.Entry(token);

        b.Tokens.Revoke(new Effect.RevokeToken("ann", token));
        await b.Issue();
        // The test plays b's watcher, late: first the put from before the revocation, then the deletion.
        b.Tokens.Changed(KeyOf(token), put);
        Assert.False(b.Accepts(token), "a late sight of the put brings a revoked token back");
        b.Tokens.Changed(KeyOf(token), await a.Entry(token));
        Assert.False(b.Accepts(token));
        Assert.Equal(1, b.Tokens.Count); // the token b issued to flush its writer
    }
}
