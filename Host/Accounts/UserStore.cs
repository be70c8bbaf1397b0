using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChatRoom.Core.Auth;
using LanguageExt.Common;

namespace ChatRoom.Host;

/// <summary>
/// The users file: JSON holding nicknames and password hashes only, a <see cref="SecretFile"/> (0600 in a 0700
/// folder, replaced whole, changed under a file lock). Every change re-reads the file under the lock first, so
/// two writers (two <c>users add</c>, or one and a registration in the running server) never lose each other's
/// account. A running server rereads the file when it changed (see <see cref="Refresh"/>); a file that
/// disappears, or becomes unreadable or invalid, leaves the last good accounts in force and is reported once
/// through <see cref="Problem"/>.
/// </summary>
public sealed class UserStore : IAccounts
{
    /// <summary>
    /// Within this time of the file's last write its timestamp is not trusted to tell two versions apart (file
    /// times are only as fine as the kernel's tick, and a <c>users passwd</c> keeps the size): the bytes are compared.
    /// </summary>
    private static readonly TimeSpan Settling = TimeSpan.FromSeconds(2);

    private readonly string _path;
    private readonly int _iterations;
    private readonly Lock _gate = new();
    private volatile UserDirectory _directory = UserDirectory.Empty;
    private Stamp _seen = Stamp.Missing;
    private byte[] _seenDigest = [];
    private Error? _seenError; // what was wrong with the version seen last, if anything
    private bool _known;

    private UserStore(string path, int iterations)
    {
        _path = path;
        _iterations = iterations;
    }

    public string Path => _path;

    /// <inheritdoc />
    public string Where => _path;

    /// <summary>
    /// Reports a users file that disappeared, became unreadable or invalid while in use, once per change of the
    /// file, with a message naming it. The accounts last read stay in force.
    /// </summary>
    public event Action<string>? Problem;

    /// <summary>
    /// Reports accounts that a change of the file (by anyone) removed, with their nicknames as they were spelled.
    /// Raised in the order the changes were seen.
    /// </summary>
    public event Action<Seq<string>>? Removed;

    /// <summary>
    /// Opens the users file, first removing temporary files that a killed writer left. A missing file is an empty
    /// directory (nothing created yet); a malformed or unreadable one is an error naming the file.
    /// </summary>
    public static Fin<UserStore> Open(string path, int iterations)
    {
        var store = new UserStore(System.IO.Path.GetFullPath(path), iterations);
        SecretFile.RemoveLeftovers(store._path);
        return store.Read().Bind(store.OnDisk).Map(_ => store);
    }

    public bool Exists => File.Exists(_path);

    /// <summary>The accounts in force, reread first if the file changed (see <see cref="Refresh"/>).</summary>
    public UserDirectory Current => Refresh();

    /// <summary>
    /// The accounts last read, without looking at the file and without waiting for a writer: for the room thread,
    /// which must never wait on a disk (a write holds the lock through its fsync). The server's tick refreshes it
    /// every second, and so does every password check.
    /// </summary>
    public UserDirectory Snapshot => _directory;

    /// <summary>
    /// Rereads the file if it changed since it was last looked at and returns the accounts in force. Cheap when
    /// nothing changed (one stat). A file that is gone, unreadable or invalid keeps the last good accounts and is
    /// reported through <see cref="Problem"/> once; a file that never existed is an empty directory.
    /// </summary>
    public UserDirectory Refresh()
    {
        lock (_gate)
        {
            var stamp = Stamp.Of(_path);
            if (stamp == _seen && !stamp.Settling(DateTime.UtcNow)) return _directory;
            var read = Read();
            if (read.Case is Error problem)
            {
                // Unreadable: nothing to compare, so it counts as a change only when the stamp moved.
                if (stamp != _seen) Report($"{problem.Message}; keeping the {_directory.Accounts.Count} accounts last read");
                _seen = stamp;
                return _directory;
            }
            _ = Take((FileRead)read);
            return _directory;
        }
    }

    /// <summary>
    /// Takes in a look at the file (see <see cref="OnDisk"/>), and reports a missing or invalid file if this
    /// version of it was not seen before: so each change is reported once, whoever looked first.
    /// </summary>
    private Fin<UserDirectory> Take(FileRead file)
    {
        var fresh = file.Stamp != _seen || !file.Digest.AsSpan().SequenceEqual(_seenDigest);
        if (!fresh) return _seenError is { } seenBefore ? FinFail<UserDirectory>(seenBefore) : _directory;
        var known = _known;
        var count = _directory.Accounts.Count;
        var taken = OnDisk(file);
        if (taken.Case is Error invalid)
            Report($"{invalid.Message}; keeping the {count} accounts last read");
        else if (file.Missing && known)
            Report($"users file {_path} disappeared; keeping the {count} accounts last read until it is back");
        return taken;
    }

    /// <summary>Hashes a password with a fresh random salt at the configured cost. Call it before <see cref="Update"/>, not inside it.</summary>
    public PasswordHash Hash(string password) =>
        PasswordHash.Create(password, RandomNumberGenerator.GetBytes(PasswordHash.SaltBytes), _iterations)
            .IfFail(e => throw new InvalidOperationException(e.Message));

    /// <summary>
    /// Applies a change and saves it, under the file's lock (waiting up to <see cref="SecretFile.LockWait"/> for
    /// another writer) and to the file as it is on disk now, reread under that lock. A missing file is changed
    /// from the accounts last read (so a registration after a deletion keeps them); an unreadable or invalid one
    /// is never overwritten. Errors name the file and leave it untouched.
    /// </summary>
    public Fin<UserDirectory> Update(Func<UserDirectory, Fin<UserDirectory>> change) =>
        SecretFile.Locked(_path, () =>
        {
            lock (_gate)
            {
                return Read().Bind(Take)
                    .Bind(change)
                    .Bind(Save);
            }
        });

    private Fin<UserDirectory> Save(UserDirectory directory)
    {
        var file = new UsersFile(1, directory.List().Map(a => new UserEntry(a.Nick, a.Hash.Format())).ToArray());
        var bytes = JsonSerializer.SerializeToUtf8Bytes(file, UsersJson.Default.UsersFile);
        return SecretFile.Replace(_path, stream => stream.Write(bytes))
            .Map(_ =>
            {
                Adopt(directory, new FileRead(Stamp.Of(_path), SHA256.HashData(bytes), Missing: false, bytes, directory));
                return directory;
            });
    }

    /// <summary>
    /// Takes in what the file holds: its accounts become the ones in force; a missing file leaves the accounts
    /// last read (none if there never was a file); an invalid one is the error and changes nothing. Either way
    /// this version of the file counts as seen.
    /// </summary>
    private Fin<UserDirectory> OnDisk(FileRead file)
    {
        _seen = file.Stamp;
        _seenDigest = file.Digest;
        _seenError = null;
        if (file.Missing) return _directory;
        var parsed = file.Parsed ?? Parse(file.Bytes);
        if (parsed.Case is Error invalid) _seenError = invalid;
        return parsed.Map(directory =>
        {
            Adopt(directory, file);
            return directory;
        });
    }

    /// <summary>Makes <paramref name="directory"/> the one in force, and reports the accounts it no longer has.</summary>
    private void Adopt(UserDirectory directory, FileRead from)
    {
        var before = _directory;
        _directory = directory;
        _seen = from.Stamp;
        _seenDigest = from.Digest;
        _known = true;
        var removed = toSeq(before.Accounts.Where(a => !directory.Accounts.ContainsKey(a.Key)).Select(a => a.Value.Nick)).Strict();
        if (!removed.IsEmpty) Removed?.Invoke(removed);
    }

    /// <summary>Removes the account's tokens from the token file next to the users file (<see cref="TokenStore.RevokeAccount"/>).</summary>
    public Fin<int> RevokeTokens(string nick) => TokenStore.RevokeAccount(_path, nick);

    private void Report(string message) => Problem?.Invoke(message);

    /// <summary>
    /// The file as it is now: its stamp, its bytes and their digest (not parsed yet). Fails only when the file
    /// exists but cannot be read.
    /// </summary>
    private Fin<FileRead> Read()
    {
        var stamp = Stamp.Of(_path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(_path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new FileRead(Stamp.Missing, [], Missing: true, [], null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error.New($"cannot read users file {_path}: {e.Message}");
        }
        return new FileRead(stamp, SHA256.HashData(bytes), Missing: false, bytes, null);
    }

    private Fin<UserDirectory> Parse(byte[] bytes)
    {
        try
        {
            var file = JsonSerializer.Deserialize(bytes, UsersJson.Default.UsersFile) ?? throw new JsonException("the file is empty");
            var directory = UserDirectory.Empty;
            foreach (var (entry, index) in (file.Users ?? []).Select((u, i) => (u, i)))
            {
                var hash = PasswordHash.Parse(entry.Hash ?? "");
                if (hash.IsFail) return Malformed($"user #{index + 1} ('{entry.Nick}'): {hash.Match(_ => "", e => e.Message)}");
                var added = directory.Restore(new UserAccount(entry.Nick ?? "", (PasswordHash)hash));
                if (added.IsFail) return Malformed($"user #{index + 1}: {added.Match(_ => "", e => e.Message)}");
                directory = (UserDirectory)added;
            }
            return directory;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return Malformed(e.Message);
        }
    }

    private Error Malformed(string what) => Error.New($"malformed users file {_path}: {what}");

    /// <summary>
    /// One look at the file: its stamp, its bytes and their digest, whether it is missing, and what it holds if
    /// that is known already (parsing 10,000 accounts costs, so it waits until the bytes turn out to be new).
    /// </summary>
    private sealed record FileRead(Stamp Stamp, byte[] Digest, bool Missing, byte[] Bytes, Fin<UserDirectory>? Parsed);

    /// <summary>
    /// What tells one version of the file from another without reading it: a replace makes a new file, so its
    /// birth time moves too, not only its write time.
    /// </summary>
    /// (Its mode too: a file made readable again by chmod keeps its times.)
    private readonly record struct Stamp(bool Exists, DateTime Written, DateTime Born, long Length, UnixFileMode Mode)
    {
        public static readonly Stamp Missing = default;

        public static Stamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new Stamp(true, info.LastWriteTimeUtc, info.CreationTimeUtc, info.Length, OperatingSystem.IsWindows() ? default : info.UnixFileMode) : Missing;
        }

        public bool Settling(DateTime now) => Exists && now - Written < UserStore.Settling;
    }
}

/// <summary>The users file on disk.</summary>
public sealed record UsersFile(int Version, UserEntry[]? Users);

/// <summary>One account on disk: the nickname and its self-describing hash.</summary>
public sealed record UserEntry(string? Nick, string? Hash);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UsersFile))]
internal sealed partial class UsersJson : JsonSerializerContext;
