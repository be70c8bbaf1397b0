using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using LanguageExt.Common;
using Microsoft.Extensions.Logging;

namespace ChatRoom.Host;

/// <summary>
/// The resume tokens: a file next to the users file (<c>tokens.json</c>, a <see cref="SecretFile"/>) holding, for
/// each token, only its SHA-256 (a token is 256 random bits, so a fast hash is enough: there is nothing to guess),
/// the nickname, when it expires, and the stamp of the password it descends from (<see cref="PasswordHash.Stamp"/>,
/// the one its session logged in under): a token is good only while that is still the account's password, so
/// neither a new password nor a new account under the same nickname (however the old one went: <c>users remove</c>,
/// an edit of the users file, a revocation that failed) lets it in. It carries out the room's token effects and
/// decides nothing:
/// <list type="bullet">
/// <item><see cref="Check"/> is the fast path, run on the room's thread: a SHA-256, a table look-up and the
/// account's stamp (one more SHA-256), a few microseconds, never queued behind password checks. It reloads the table first when another process
/// (<c>chatroom-host users passwd</c>) changed the file.</item>
/// <item>Issuing and revoking are written by one thread of their own, which takes every change waiting and makes
/// them one read-modify-write of the file under its lock, so a storm of TOKENs costs a few writes. A token is
/// handed out (<see cref="Input.TokenIssued"/>) only once it is on disk; a revoked one is refused at once, before
/// it is written.</item>
/// </list>
/// </summary>
public sealed class TokenStore : ITokens
{
    /// <summary>Random bytes in a token: 256 bits, 43 base64url characters.</summary>
    public const int TokenBytes = 32;

    /// <summary>
    /// The token file's version: 2 added each token's password stamp. A version 1 file is still read; its tokens,
    /// having no stamp, are refused and dropped at the next write.
    /// </summary>
    public const int FileVersion = 2;

    private abstract record Change;
    private sealed record IssueChange(Effect.IssueToken Effect) : Change;
    private sealed record RevokeChange(string Hash) : Change;

    private readonly string _path;
    private readonly Func<UserDirectory> _users;
    private readonly Action<Input> _post;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly BlockingCollection<Change> _changes = new();
    private readonly System.Collections.Generic.HashSet<string> _revoking = new(StringComparer.Ordinal);
    private readonly List<RevokeChange> _unsaved = [];
    private Dictionary<string, TokenEntry> _index = new(StringComparer.Ordinal);
    private DateTime _stamp = DateTime.MinValue;
    private readonly Thread _writer;

    /// <param name="path">The token file (see <see cref="NextTo"/>).</param>
    /// <param name="users">The accounts now: a token of an account that is gone, or whose password is no longer the one the token descends from, is refused; the account's spelling is reported.</param>
    public TokenStore(string path, Func<UserDirectory> users, Action<Input> post, TimeProvider clock, ILogger log)
    {
        _path = Path.GetFullPath(path);
        _users = users;
        _post = post;
        _clock = clock;
        _log = log;
        lock (_gate) Reload();
        _writer = new Thread(Write) { IsBackground = true, Name = "token-store" };
        _writer.Start();
    }

    /// <summary>The token file that goes with a users file: <c>tokens.json</c> in the same folder.</summary>
    public static string NextTo(string usersFile) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(usersFile))!, "tokens.json");

    /// <summary>How many tokens are in force (for tests and the log).</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _index.Count - _revoking.Count(_index.ContainsKey);
        }
    }

    /// <summary>
    /// Looks a token up for the room (<see cref="Effect.CheckToken"/>): its expiry (and stamp) when this nickname
    /// holds it and the account's password is still the one the token descends from, else None. A token stored
    /// without a stamp (issued before tokens had one) is never good. Cheap enough for the room's thread; never throws.
    /// </summary>
    public Input.TokenChecked Check(Effect.CheckToken check)
    {
        var key = HashOf(check.Token.Value);
        TokenEntry? entry;
        lock (_gate)
        {
            if (Stamp() != _stamp) Reload();
            if (_revoking.Contains(key) || !_index.TryGetValue(key, out entry)) entry = null;
        }
        return TokenRules.Answer(check, entry, _users(), _clock.GetUtcNow());
    }

    /// <summary>Queues <see cref="Effect.IssueToken"/>; the room hears back with <see cref="Input.TokenIssued"/> once the token is stored.</summary>
    public void Issue(Effect.IssueToken issue)
    {
        if (!TokenRules.Issuable(issue, _log) || !Queue(new IssueChange(issue)))
            _post(new Input.TokenIssued(issue.Id, issue.Nick, None, issue.Expires, _clock.GetUtcNow()));
    }

    /// <summary>Revokes a token: refused from now on, and removed from the file by the writer.</summary>
    public void Revoke(Effect.RevokeToken revoke) => Revoke(HashOf(revoke.Token.Value));

    private void Revoke(string hash)
    {
        lock (_gate) _revoking.Add(hash);
        Queue(new RevokeChange(hash));
    }

    private bool Queue(Change change)
    {
        try
        {
            return _changes.TryAdd(change);
        }
        catch (InvalidOperationException)
        {
            return false; // stopping: nothing more is written
        }
    }

    /// <summary>
    /// Removes every token of <paramref name="nick"/> from the token file next to <paramref name="usersFile"/>, under
    /// the file's lock: what <c>users passwd</c> and <c>users remove</c> do after their change. A running server
    /// sees the file change at its next look-up. Gives how many were removed.
    /// </summary>
    public static Fin<int> RevokeAccount(string usersFile, string nick)
    {
        var path = NextTo(usersFile);
        if (!File.Exists(path)) return 0;
        var folded = Syntax.FoldNick(nick);
        return SecretFile.Locked(path, () => Read(path).Bind(entries =>
        {
            var kept = entries.Where(e => Syntax.FoldNick(e.Nick) != folded).ToArray();
            return kept.Length == entries.Length
                ? FinSucc(0)
                : SecretFile.Replace(path, s => Serialize(s, kept)).Map(_ => entries.Length - kept.Length);
        }));
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
                // One bad batch must not end the writer: its issues are answered "not stored", its revocations kept.
                _log.LogError(e, "writing the token file {Path} failed", _path);
                Answer(batch, null);
            }
        }
    }

    private void Save(List<Change> batch)
    {
        List<RevokeChange> revokes;
        lock (_gate)
        {
            revokes = [.. _unsaved, .. batch.OfType<RevokeChange>()];
            _unsaved.Clear();
        }
        var issued = new Dictionary<Effect.IssueToken, Secret>(ReferenceEqualityComparer.Instance);
        var written = SecretFile.Locked(_path, () => Read(_path).Bind(entries =>
        {
            var now = _clock.GetUtcNow();
            var gone = revokes.Select(r => r.Hash).ToHashSet(StringComparer.Ordinal);
            // By hash, and each account's hashes: a batch of thousands of TOKENs stays linear in the file's size.
            var table = new Dictionary<string, TokenEntry>(StringComparer.Ordinal);
            // A token without a stamp (from before stamps) can never be good again: dropped at the first write.
            foreach (var e in entries)
                if (e.Expires > now && !gone.Contains(e.Hash) && !string.IsNullOrEmpty(e.Stamp)) table[e.Hash] = e;
            Dictionary<string, List<string>>? byAccount = null;
            foreach (var issue in batch.OfType<IssueChange>().Select(c => c.Effect))
            {
                byAccount ??= table.Values.GroupBy(e => Syntax.FoldNick(e.Nick), StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.OrderBy(e => e.Issued).Select(e => e.Hash).ToList(), StringComparer.Ordinal);
                issue.Replaces.IfSome(old => table.Remove(HashOf(old.Value)));
                var token = new Secret(Base64Url(RandomNumberGenerator.GetBytes(TokenBytes)));
                var entry = new TokenEntry(HashOf(token.Value), issue.Nick, now, issue.Expires, issue.Stamp);
                table[entry.Hash] = entry;
                var folded = Syntax.FoldNick(issue.Nick);
                if (!byAccount.TryGetValue(folded, out var mine)) byAccount[folded] = mine = [];
                mine.RemoveAll(h => !table.ContainsKey(h));
                mine.Add(entry.Hash);
                while (mine.Count > issue.KeepPerAccount)
                {
                    table.Remove(mine[0]);
                    mine.RemoveAt(0);
                }
                issued[issue] = token;
            }
            var array = table.Values.ToArray();
            return SecretFile.Replace(_path, s => Serialize(s, array)).Map(_ =>
            {
                lock (_gate)
                {
                    _index = array.ToDictionary(e => e.Hash, StringComparer.Ordinal);
                    _stamp = Stamp();
                    _revoking.ExceptWith(gone);
                }
                return unit;
            });
        }));
        if (written.IsFail)
        {
            _log.LogError("cannot write the token file: {Error}", written.Match(_ => "", e => e.Message));
            Answer(batch, null);
            lock (_gate) _unsaved.AddRange(revokes);
            return;
        }
        Answer(batch, issued);
    }

    private void Answer(List<Change> batch, Dictionary<Effect.IssueToken, Secret>? issued)
    {
        foreach (var issue in batch.OfType<IssueChange>().Select(c => c.Effect))
        {
            var token = issued is not null && issued.TryGetValue(issue, out var t) ? Some(t) : None;
            _post(new Input.TokenIssued(issue.Id, issue.Nick, token, issue.Expires, _clock.GetUtcNow()));
        }
    }

    /// <summary>Reads the file into the index (caller holds the gate). A bad file keeps the last good table.</summary>
    private void Reload()
    {
        var stamp = Stamp();
        Read(_path).Match(
            entries =>
            {
                var index = new Dictionary<string, TokenEntry>(entries.Length, StringComparer.Ordinal);
                foreach (var e in entries) index[e.Hash] = e;
                _index = index;
                _stamp = stamp;
            },
            error =>
            {
                _log.LogError("the token file is unreadable, keeping the tokens read before: {Error}", error.Message);
                _stamp = stamp;
            });
    }

    private static Fin<TokenEntry[]> Read(string path)
    {
        try
        {
            if (!File.Exists(path)) return System.Array.Empty<TokenEntry>();
            var file = JsonSerializer.Deserialize(File.ReadAllText(path), TokensJson.Default.TokensFile);
            return (file?.Tokens ?? []).Where(e => e is { Hash: not null, Nick: not null }).ToArray();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Error.New($"cannot read the token file {path}: {e.Message}");
        }
    }

    private static void Serialize(Stream stream, TokenEntry[] entries) =>
        JsonSerializer.Serialize(stream, new TokensFile(FileVersion, entries), TokensJson.Default.TokensFile);

    // One stat: for a missing file it gives 1601-01-01, which differs from any real write.
    private DateTime Stamp() => File.GetLastWriteTimeUtc(_path);

    /// <summary>SHA-256 of the token's UTF-8 bytes, in base64: the only form the server keeps.</summary>
    public static string HashOf(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        return Convert.ToBase64String(hash);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Stops taking changes and waits (at most 5 s) for the writer to save those already taken: a revocation
    /// answered just before a shutdown must still be on disk after the restart.
    /// </summary>
    public void Dispose()
    {
        _changes.CompleteAdding();
        _writer.Join(TimeSpan.FromSeconds(5));
    }
}

/// <summary>The token file on disk.</summary>
public sealed record TokensFile(int Version, TokenEntry[]? Tokens);

/// <summary>
/// One token on disk: the SHA-256 of the token (base64), whose it is, when it was issued and when it expires, and the
/// <see cref="PasswordHash.Stamp"/> of the password it descends from (null in a version 1 file: never good).
/// </summary>
public sealed record TokenEntry(string Hash, string Nick, DateTimeOffset Issued, DateTimeOffset Expires, string? Stamp);

[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TokensFile))]
internal sealed partial class TokensJson : JsonSerializerContext;
