using System.Security.Cryptography;
using System.Text.Json;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using LanguageExt.Common;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace ChatRoom.Host;

/// <summary>
/// The accounts of a cluster: a JetStream key-value bucket (<c>chatroom-&lt;room&gt;-accounts</c>) shared by every
/// host, one key per account (<see cref="ClusterKeys.Account"/>) holding the users file's record (nickname and
/// password hash). A <see cref="BucketWatch"/> keeps a local <see cref="UserDirectory"/> current, so the room's
/// thread and the password checks read it without waiting on NATS; a removal anywhere raises <see cref="Removed"/>.
/// Every change is a compare-and-set per key (create only if absent, update or delete only at the revision read), retried
/// on a fresher copy when another host changed that key meanwhile: two hosts adding two users both keep theirs,
/// and two adding the same user, one wins and the other is told it exists. While NATS is unreachable the last
/// accounts read stay in force (reported once through <see cref="Problem"/>), and changes fail naming the bucket.
/// </summary>
public sealed class ClusterAccounts : IAccounts, IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private const int Attempts = 20;

    private readonly NatsConnection _connection;
    private readonly INatsKVStore _accounts;
    private readonly INatsKVStore _tokens;
    private readonly int _iterations;
    private readonly Lock _gate = new();
    private readonly Lock _writing = new();
    private Dictionary<string, BucketEntry> _known = new(StringComparer.Ordinal);
    private volatile UserDirectory _directory = UserDirectory.Empty;
    private BucketWatch? _watch;

    private ClusterAccounts(NatsConnection connection, INatsKVStore accounts, INatsKVStore tokens, string url, int iterations)
    {
        _connection = connection;
        _accounts = accounts;
        _tokens = tokens;
        _iterations = iterations;
        Url = url;
        Where = $"accounts bucket {accounts.Bucket} at {url}";
    }

    public string Url { get; }

    /// <summary>Where news that is no problem goes (NATS reachable again); set by the server once its logging exists.</summary>
    public ILogger Log { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public string Where { get; }

    public event Action<string>? Problem;

    public event Action<Seq<string>>? Removed;

    /// <summary>
    /// Connects to NATS, creates the buckets if they are new, and reads every account before returning. Errors name
    /// the URL or the bucket: NATS unreachable, JetStream off, or the accounts not read within 10 s.
    /// </summary>
    public static Task<Fin<ClusterAccounts>> Open(ClusterOptions cluster, int iterations) => Open(cluster, iterations, store => store);

    /// <param name="around">Wraps each bucket as it is opened (tests use it to act between two steps of a change).</param>
    internal static async Task<Fin<ClusterAccounts>> Open(ClusterOptions cluster, int iterations, Func<INatsKVStore, INatsKVStore> around)
    {
        var connection = new NatsConnection(new NatsOpts
        {
            Url = cluster.Url,
            Name = "chatroom-host",
            ConnectTimeout = TimeSpan.FromSeconds(3),
            RequestTimeout = Patience,
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(1),
        });
        var name = ClusterKeys.AccountsBucket(cluster.Room);
        try
        {
            await connection.ConnectAsync().ConfigureAwait(false);
            var kv = new NatsKVContext(new NatsJSContext(connection));
            var accounts = around(await Bucket(kv, name, "ChatRoom accounts: nickname and password hash").ConfigureAwait(false));
            var tokens = around(await Bucket(kv, ClusterKeys.TokensBucket(cluster.Room), "ChatRoom resume tokens: hashes only").ConfigureAwait(false));
            var store = new ClusterAccounts(connection, accounts, tokens, cluster.Url, iterations);
            store._watch = new BucketWatch(connection, accounts, store.Where, store.Synced, store.Changed,
                p => store.Problem?.Invoke(p), m => store.Log.LogInformation("{Message}", m));
            var read = await Task.WhenAny(store._watch.FirstSync, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
            if (read != store._watch.FirstSync)
            {
                await store.DisposeAsync().ConfigureAwait(false);
                return Error.New($"cannot read the accounts bucket {name} at {cluster.Url} within 10 s");
            }
            return store;
        }
        catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException or IOException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return Error.New($"cannot open the accounts bucket {name} at NATS {cluster.Url}: {e.Message}");
        }
    }

    private static async Task<INatsKVStore> Bucket(NatsKVContext kv, string name, string description)
    {
        try
        {
            return await kv.CreateStoreAsync(new NatsKVConfig(name) { History = 1, Description = description, Storage = NatsKVStorageType.File }).ConfigureAwait(false);
        }
        catch (NatsJSApiException)
        {
            return await kv.GetStoreAsync(name).ConfigureAwait(false); // made by another host, perhaps with other settings
        }
    }

    /// <summary>Makes the server's token store on this cluster's tokens bucket (see <see cref="ClusterTokens"/>).</summary>
    public TokensFactory Tokens => (users, post, clock, log) => new ClusterTokens(_connection, _tokens, Url, users, post, clock, log);

    public UserDirectory Current => _directory;

    public UserDirectory Snapshot => _directory;

    public UserDirectory Refresh() => _directory;

    public PasswordHash Hash(string password) =>
        PasswordHash.Create(password, RandomNumberGenerator.GetBytes(PasswordHash.SaltBytes), _iterations)
            .IfFail(e => throw new InvalidOperationException(e.Message));

    /// <summary>
    /// See <see cref="IAccounts.Update"/>. It waits for NATS (at most 5 s a write): call it on a thread of its own
    /// (the password checks', the command line's), never on the thread pool, which carries NATS's replies.
    /// </summary>
    public Fin<UserDirectory> Update(Func<UserDirectory, Fin<UserDirectory>> change)
    {
        lock (_writing)
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                UserDirectory before;
                Dictionary<string, BucketEntry> known;
                lock (_gate)
                {
                    before = _directory;
                    known = _known;
                }
                var after = change(before);
                if (after.Case is not UserDirectory wanted) return after;
                var saved = Save(before, wanted, known);
                if (saved.Case is Error problem) return problem;
                if ((bool)saved) return _directory;
            }
            return Error.New($"{Where}: changed by others {Attempts} times in a row; try again");
        }
    }

    /// <summary>
    /// Writes the keys in which <paramref name="after"/> differs from <paramref name="before"/>, each at the
    /// revision it was read at. False when another host changed one of them first: that key is read again, and
    /// the caller retries its change on the fresher accounts.
    /// </summary>
    private Fin<bool> Save(UserDirectory before, UserDirectory after, Dictionary<string, BucketEntry> known)
    {
        foreach (var (folded, account) in after.Accounts)
        {
            var old = before.Accounts.Find(folded);
            if (old.Exists(o => o.Nick == account.Nick && o.Hash.Format() == account.Hash.Format())) continue;
            var key = ClusterKeys.Account(account.Nick);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(new UserEntry(account.Nick, account.Hash.Format()), ClusterJson.Default.UserEntry);
            var written = old.IsSome
                ? Write(c => _accounts.UpdateAsync(key, bytes, known.TryGetValue(key, out var k) ? k.Revision : 0, cancellationToken: c))
                : Write(c => _accounts.CreateAsync(key, bytes, cancellationToken: c));
            if (written.Case is Error problem) return problem;
            if (((Option<ulong>)written).Case is not ulong revision) return Reread(key);
            Take(key, new BucketEntry(revision, bytes));
        }
        foreach (var (folded, account) in before.Accounts)
        {
            if (after.Accounts.ContainsKey(folded)) continue;
            var key = ClusterKeys.Account(account.Nick);
            var revision = known.TryGetValue(key, out var k) ? k.Revision : 0;
            var deleted = Write(async c =>
            {
                await _accounts.DeleteAsync(key, new NatsKVDeleteOpts { Revision = revision }, c).ConfigureAwait(false);
                return revision;
            });
            if (deleted.Case is Error problem) return problem;
            if (((Option<ulong>)deleted).IsNone) return Reread(key);
            Take(key, new BucketEntry(revision, null));
        }
        return true;
    }

    /// <summary>Reads one key again after a lost compare-and-set, so that the retry sees what the other host wrote.</summary>
    private Fin<bool> Reread(string key)
    {
        // Read before asking: if the key is gone, what is gone is the value known then, not one the watcher takes meanwhile.
        var known = KnownRevision(key);
        try
        {
            using var patience = new CancellationTokenSource(Patience);
            var entry = _accounts.GetEntryAsync<byte[]>(key, cancellationToken: patience.Token).AsTask().GetAwaiter().GetResult();
            Take(key, new BucketEntry(entry.Revision, entry.Value ?? []));
        }
        catch (Exception e) when (e is NatsKVKeyDeletedException or NatsKVKeyNotFoundException)
        {
            Take(key, new BucketEntry(known, null));
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or TimeoutException)
        {
            return Error.New($"cannot read {key} in the {Where}: {e.Message}");
        }
        return false;
    }

    /// <summary>
    /// One write, waited for (on a password-check thread or the command line, never the room's). Its revision;
    /// None when another host changed the key first; an error naming the bucket when NATS fails.
    /// </summary>
    private Fin<Option<ulong>> Write(Func<CancellationToken, ValueTask<ulong>> write)
    {
        try
        {
            using var patience = new CancellationTokenSource(Patience);
            return Some(write(patience.Token).AsTask().GetAwaiter().GetResult());
        }
        catch (Exception e) when (e is NatsKVWrongLastRevisionException or NatsKVCreateException)
        {
            return Option<ulong>.None;
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or TimeoutException)
        {
            return Error.New($"cannot write the {Where}: {e.Message}");
        }
    }

    /// <summary>
    /// Adds every account of <paramref name="from"/> whose key is absent from the bucket (create only, never
    /// overwrite): two first hosts importing the same file at once import each account once between them. Gives
    /// how many were added and how many were there already.
    /// </summary>
    public Fin<(int Added, int Present)> Import(UserDirectory from)
    {
        var added = 0;
        var present = 0;
        foreach (var account in from.List())
        {
            var key = ClusterKeys.Account(account.Nick);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(new UserEntry(account.Nick, account.Hash.Format()), ClusterJson.Default.UserEntry);
            var written = Write(c => _accounts.CreateAsync(key, bytes, cancellationToken: c));
            if (written.Case is Error problem) return problem;
            if (((Option<ulong>)written).Case is ulong revision)
            {
                added++;
                Take(key, new BucketEntry(revision, bytes));
            }
            else present++;
        }
        return (added, present);
    }

    public Fin<int> RevokeTokens(string nick) => ClusterTokens.RevokeAccount(_tokens, Url, nick);

    /// <summary>A full copy of the bucket: the accounts in force from now on (and any newer write of ours kept).</summary>
    private void Synced(Dictionary<string, BucketEntry> all)
    {
        lock (_gate)
        {
            var upTo = all.Count == 0 ? 0 : all.Values.Max(e => e.Revision);
            var known = new Dictionary<string, BucketEntry>(all, StringComparer.Ordinal);
            foreach (var (key, mine) in _known)
                if (known.TryGetValue(key, out var theirs) ? mine.Supersedes(theirs) : mine.Revision > upTo) known[key] = mine;
            var directory = UserDirectory.Empty;
            foreach (var (key, entry) in known)
                if (Parse(key, entry).Case is UserAccount account)
                    directory = directory.Restore(account).IfFail(e =>
                    {
                        Problem?.Invoke($"{Where}: key {key}: {e.Message}");
                        return directory;
                    });
            _known = known;
            Adopt(directory);
        }
    }

    private ulong KnownRevision(string key)
    {
        lock (_gate) return _known.TryGetValue(key, out var k) ? k.Revision : 0;
    }

    private void Changed(string key, BucketEntry entry) => Take(key, entry);

    /// <summary>
    /// Takes in one key's value unless what is known is newer (<see cref="BucketEntry.Supersedes"/>): our own writes
    /// are taken in after NATS answers, by when the watcher may have taken a newer value of another host's.
    /// </summary>
    private void Take(string key, BucketEntry entry)
    {
        lock (_gate)
        {
            if (_known.TryGetValue(key, out var seen) && !entry.Supersedes(seen)) return;
            var known = new Dictionary<string, BucketEntry>(_known, StringComparer.Ordinal) { [key] = entry };
            var directory = _directory;
            var account = Parse(key, entry);
            var folded = account.Case is UserAccount a ? Syntax.FoldNick(a.Nick) : ClusterKeys.FoldedOf(key);
            if (folded is not null && directory.Accounts.Find(folded).Case is UserAccount old)
                directory = directory.Remove(old.Nick).IfFail(directory);
            if (account.Case is UserAccount now)
                directory = directory.Restore(now).IfFail(e =>
                {
                    Problem?.Invoke($"{Where}: key {key}: {e.Message}");
                    return directory;
                });
            _known = known;
            Adopt(directory);
        }
    }

    /// <summary>The account a key holds: None for a deleted key, or (reported) for a value that is not a valid account record.</summary>
    private Option<UserAccount> Parse(string key, BucketEntry entry)
    {
        if (entry.Value is not { } bytes) return None;
        try
        {
            var record = JsonSerializer.Deserialize(bytes, ClusterJson.Default.UserEntry);
            var hash = PasswordHash.Parse(record?.Hash ?? "");
            if (record?.Nick is not { } nick || hash.Case is not PasswordHash parsed || !Syntax.IsValidNick(nick) || ClusterKeys.Account(nick) != key)
                Problem?.Invoke($"{Where}: key {key} holds no valid account; ignored");
            else return new UserAccount(record.Nick, parsed);
        }
        catch (JsonException e)
        {
            Problem?.Invoke($"{Where}: key {key} is not an account record ({e.Message}); ignored");
        }
        return None;
    }

    /// <summary>Makes <paramref name="directory"/> the one in force (caller holds the gate), and reports the accounts it no longer has.</summary>
    private void Adopt(UserDirectory directory)
    {
        var before = _directory;
        _directory = directory;
        var removed = toSeq(before.Accounts.Where(a => !directory.Accounts.ContainsKey(a.Key)).Select(a => a.Value.Nick)).Strict();
        if (!removed.IsEmpty) Removed?.Invoke(removed);
    }

    public async ValueTask DisposeAsync()
    {
        if (_watch is not null) await _watch.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
