using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using LanguageExt.Common;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;

namespace ChatRoom.Host;

/// <summary>
/// The resume tokens of a cluster: a key-value bucket (<c>chatroom-&lt;room&gt;-tokens</c>) shared by every host, one
/// key per token (<see cref="ClusterKeys.Token"/>) holding the token file's record (<see cref="TokenEntry"/>: the
/// token's SHA-256, never the token). It keeps <see cref="TokenStore"/>'s rules: a token is good only while its
/// account's password is the one it descends from; <see cref="Check"/> runs on the room's thread against a local
/// copy that a <see cref="BucketWatch"/> keeps current (so a token issued by one host resumes on another, and the
/// room never waits on NATS); issuing and revoking are written by a thread of their own, and a token is handed out
/// only once the bucket holds it. While NATS is unreachable the tokens read last still resume; new ones are not issued.
/// </summary>
public sealed class ClusterTokens : ITokens
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private abstract record Change;
    private sealed record IssueChange(Effect.IssueToken Effect) : Change;
    private sealed record RevokeChange(Deletion Token) : Change;

    /// <summary>A token to delete: its key in the bucket (which follows from its account and hash) and its hash.</summary>
    private sealed record Deletion(string Key, string Hash)
    {
        public static Deletion Of(string nick, Secret token)
        {
            var hash = TokenStore.HashOf(token.Value);
            return new Deletion(ClusterKeys.Token(nick, hash), hash);
        }
    }

    private readonly INatsKVStore _store;
    private readonly string _where;
    private readonly Func<UserDirectory> _users;
    private readonly Action<Input> _post;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly BlockingCollection<Change> _changes = new();
    // Tokens deleted (or being deleted) here whose deletion the watch has not shown yet: refused meanwhile, so that
    // neither a failed delete nor a late sight of the token's put lets them in again.
    private readonly System.Collections.Generic.HashSet<string> _revoking = new(StringComparer.Ordinal);
    private readonly List<Deletion> _unsaved = [];
    private Dictionary<string, Held> _index = new(StringComparer.Ordinal); // by token hash
    private Dictionary<string, ulong> _revisions = new(StringComparer.Ordinal); // by key
    private readonly BucketWatch _watch;
    private readonly Thread _writer;

    private sealed record Held(string Key, TokenEntry Entry);

    public ClusterTokens(NatsConnection connection, INatsKVStore store, string url, Func<UserDirectory> users, Action<Input> post, TimeProvider clock, ILogger log)
    {
        _store = store;
        _where = $"tokens bucket {store.Bucket} at {url}";
        _users = users;
        _post = post;
        _clock = clock;
        _log = log;
        _watch = new BucketWatch(connection, store, _where, Synced, Changed,
            p => log.LogError("{Problem}", p), m => log.LogInformation("{Message}", m));
        _writer = new Thread(Write) { IsBackground = true, Name = "cluster-tokens" };
        _writer.Start();
    }

    /// <summary>Completes once the tokens were first read (for tests).</summary>
    public Task Ready => _watch.FirstSync;

    /// <summary>How many tokens are in force here (for tests and the log).</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _index.Count - _revoking.Count(_index.ContainsKey);
        }
    }

    public Input.TokenChecked Check(Effect.CheckToken check)
    {
        var hash = TokenStore.HashOf(check.Token.Value);
        TokenEntry? entry;
        lock (_gate) entry = !_revoking.Contains(hash) && _index.TryGetValue(hash, out var held) ? held.Entry : null;
        return TokenRules.Answer(check, entry, _users(), _clock.GetUtcNow());
    }

    public void Issue(Effect.IssueToken issue)
    {
        if (!TokenRules.Issuable(issue, _log) || !Queue(new IssueChange(issue)))
            _post(new Input.TokenIssued(issue.Id, issue.Nick, None, issue.Expires, _clock.GetUtcNow()));
    }

    public void Revoke(Effect.RevokeToken revoke)
    {
        var token = Deletion.Of(revoke.Nick, revoke.Token);
        lock (_gate) _revoking.Add(token.Hash);
        Queue(new RevokeChange(token));
    }

    private bool Queue(Change change)
    {
        try
        {
            return _changes.TryAdd(change);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Deletes every token of <paramref name="nick"/> from the bucket: what <c>users passwd</c> and <c>users remove</c>
    /// do after their change (running hosts see the deletions through their watchers). Gives how many.
    /// </summary>
    public static Fin<int> RevokeAccount(INatsKVStore store, string url, string nick)
    {
        try
        {
            using var patience = new CancellationTokenSource(2 * Patience);
            return Task.Run(async () =>
            {
                var keys = new List<string>();
                await foreach (var key in store.GetKeysAsync([$"{ClusterKeys.Account(nick)}.*"], cancellationToken: patience.Token).ConfigureAwait(false))
                    keys.Add(key);
                foreach (var key in keys) await store.DeleteAsync(key, cancellationToken: patience.Token).ConfigureAwait(false);
                return keys.Count;
            }).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or TimeoutException)
        {
            return Error.New($"cannot revoke the tokens of {nick} in the tokens bucket {store.Bucket} at {url}: {e.Message}");
        }
    }

    private void Write()
    {
        foreach (var first in _changes.GetConsumingEnumerable())
        {
            var batch = new List<Change> { first };
            while (batch.Count < 10_000 && _changes.TryTake(out var more)) batch.Add(more);
            try
            {
                Save(batch);
            }
            catch (Exception e)
            {
                _log.LogError(e, "writing the {Where} failed", _where);
                foreach (var issue in batch.OfType<IssueChange>()) Answer(issue.Effect, None);
            }
        }
    }

    private void Save(List<Change> batch)
    {
        List<Deletion> revokes;
        lock (_gate)
        {
            revokes = [.. _unsaved, .. batch.OfType<RevokeChange>().Select(r => r.Token)];
            _unsaved.Clear();
        }
        foreach (var token in revokes) Delete(token);
        foreach (var issue in batch.OfType<IssueChange>().Select(c => c.Effect))
        {
            var now = _clock.GetUtcNow();
            issue.Replaces.IfSome(old => Delete(Deletion.Of(issue.Nick, old)));
            var token = new Secret(Base64Url(RandomNumberGenerator.GetBytes(TokenStore.TokenBytes)));
            var entry = new TokenEntry(TokenStore.HashOf(token.Value), issue.Nick, now, issue.Expires, issue.Stamp);
            var key = ClusterKeys.Token(issue.Nick, entry.Hash);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(entry, ClusterJson.Default.TokenEntry);
            try
            {
                using var patience = new CancellationTokenSource(Patience);
                var revision = _store.PutAsync(key, bytes, cancellationToken: patience.Token).AsTask().GetAwaiter().GetResult();
                Take(key, new BucketEntry(revision, bytes));
            }
            catch (Exception e) when (e is NatsException or OperationCanceledException or TimeoutException)
            {
                _log.LogError("cannot store a token in the {Where}: {Error}", _where, e.Message);
                Answer(issue, None);
                continue;
            }
            Answer(issue, token);
            // The account's oldest tokens past its allowance, and its expired ones, go.
            List<Deletion> stale;
            lock (_gate)
            {
                var mine = _index.Values.Where(h => Syntax.FoldNick(h.Entry.Nick) == Syntax.FoldNick(issue.Nick) && !_revoking.Contains(h.Entry.Hash))
                    .OrderBy(h => h.Entry.Issued).ToList();
                stale = mine.Where(h => h.Entry.Expires <= now).Concat(mine.Take(Math.Max(0, mine.Count - issue.KeepPerAccount)))
                    .Distinct().Select(h => new Deletion(h.Key, h.Entry.Hash)).ToList();
            }
            foreach (var old in stale) Delete(old);
        }
    }

    /// <summary>
    /// Deletes a token's key from the bucket, whether or not this host has seen the token yet (another host may have
    /// issued it a moment ago): the bucket is what every host reads. The token is refused here at once and until the
    /// watch shows its deletion; a delete that NATS refused is tried again with the next change.
    /// </summary>
    private void Delete(Deletion token)
    {
        lock (_gate) _revoking.Add(token.Hash);
        try
        {
            using var patience = new CancellationTokenSource(Patience);
            _store.DeleteAsync(token.Key, cancellationToken: patience.Token).AsTask().GetAwaiter().GetResult();
            lock (_gate) _index.Remove(token.Hash);
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or TimeoutException)
        {
            _log.LogError("cannot delete a token from the {Where}: {Error}", _where, e.Message);
            lock (_gate) _unsaved.Add(token);
        }
    }

    private void Answer(Effect.IssueToken issue, Option<Secret> token) =>
        _post(new Input.TokenIssued(issue.Id, issue.Nick, token, issue.Expires, _clock.GetUtcNow()));

    /// <summary>
    /// A full copy of the bucket (internal: tests play the watcher). It replaces the index and the revisions together,
    /// so that they agree, except for what this host took in after the copy was read (a token it issued meanwhile, the
    /// watch's last changes): the watch shows those only as changes, which their revisions, seen already, would skip.
    /// </summary>
    internal void Synced(Dictionary<string, BucketEntry> all)
    {
        lock (_gate)
        {
            var upTo = all.Count == 0 ? 0 : all.Values.Max(e => e.Revision);
            var revisions = new Dictionary<string, ulong>(StringComparer.Ordinal);
            var index = new Dictionary<string, Held>(StringComparer.Ordinal);
            foreach (var (key, entry) in all)
            {
                revisions[key] = entry.Revision;
                if (Parse(entry) is { } token) index[token.Hash] = new Held(key, token);
                else if (entry.Value is null && ClusterKeys.HashOfTokenKey(key) is { } gone) _revoking.Remove(gone); // deleted for good
            }
            foreach (var (key, mine) in _revisions)
            {
                if (all.TryGetValue(key, out var theirs) ? mine <= theirs.Revision : mine <= upTo) continue;
                revisions[key] = mine;
                if (ClusterKeys.HashOfTokenKey(key) is not { } hash) continue;
                if (_index.TryGetValue(hash, out var held) && held.Key == key) index[hash] = held;
                else index.Remove(hash); // what this host took in last for that key is its deletion
            }
            _revisions = revisions;
            _index = index;
        }
    }

    /// <summary>One change the watch shows (internal: tests play the watcher).</summary>
    internal void Changed(string key, BucketEntry entry) => Take(key, entry);

    private void Take(string key, BucketEntry entry)
    {
        lock (_gate)
        {
            if (_revisions.TryGetValue(key, out var seen) && seen >= entry.Revision) return;
            _revisions[key] = entry.Revision;
            if (Parse(entry) is { } token) _index[token.Hash] = new Held(key, token);
            else if (ClusterKeys.HashOfTokenKey(key) is { } hash)
            {
                _index.Remove(hash);
                // A token key is written once (each token is new), so once deleted it stays so: its revocation is done.
                if (entry.Value is null) _revoking.Remove(hash);
            }
        }
    }

    private TokenEntry? Parse(BucketEntry entry)
    {
        if (entry.Value is not { } bytes) return null;
        try
        {
            return JsonSerializer.Deserialize(bytes, ClusterJson.Default.TokenEntry) is { Hash: not null, Nick: not null } token ? token : null;
        }
        catch (JsonException e)
        {
            _log.LogError("a value in the {Where} is not a token record ({Error}); ignored", _where, e.Message);
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Stops taking changes, waits (at most 5 s) for those taken to be written, and stops the watcher.</summary>
    public void Dispose()
    {
        _changes.CompleteAdding();
        _writer.Join(TimeSpan.FromSeconds(5));
        _watch.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
