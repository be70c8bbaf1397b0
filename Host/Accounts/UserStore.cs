using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChatRoom.Core.Auth;
using LanguageExt.Common;

namespace ChatRoom.Host;

/// <summary>
/// The users file: JSON holding nicknames and password hashes only. Every write goes to a temporary file that
/// is then renamed over the old one, so a crash never leaves a half-written file. A running server notices
/// when the file changed (for example after <c>chatroom-host users add</c>) and reloads it before the next check.
/// </summary>
public sealed class UserStore
{
    private readonly string _path;
    private readonly int _iterations;
    private readonly Lock _gate = new();
    private UserDirectory _directory = UserDirectory.Empty;
    private DateTime _loadedStamp;

    private UserStore(string path, int iterations)
    {
        _path = path;
        _iterations = iterations;
    }

    public string Path => _path;

    /// <summary>Opens the users file. A missing file is an empty directory; a malformed one is an error naming the file.</summary>
    public static Fin<UserStore> Open(string path, int iterations)
    {
        var store = new UserStore(System.IO.Path.GetFullPath(path), iterations);
        return store.Load().Map(_ => store);
    }

    public bool Exists => File.Exists(_path);

    /// <summary>The accounts, reloaded first if the file changed on disk since it was read.</summary>
    public UserDirectory Current
    {
        get
        {
            lock (_gate)
            {
                if (Stamp() != _loadedStamp) _ = Load(); // a bad edit keeps the last good directory
                return _directory;
            }
        }
    }

    /// <summary>Hashes a password with a fresh random salt at the configured cost.</summary>
    public PasswordHash Hash(string password) =>
        PasswordHash.Create(password, RandomNumberGenerator.GetBytes(PasswordHash.SaltBytes), _iterations)
            .IfFail(e => throw new InvalidOperationException(e.Message));

    /// <summary>Applies a change to the directory and saves it atomically. Errors leave the file untouched.</summary>
    public Fin<UserDirectory> Update(Func<UserDirectory, Fin<UserDirectory>> change)
    {
        lock (_gate)
        {
            if (Stamp() != _loadedStamp)
            {
                var reloaded = Load();
                if (reloaded.IsFail) return reloaded;
            }
            return change(_directory).Bind(Save);
        }
    }

    private Fin<UserDirectory> Load()
    {
        var stamp = Stamp();
        if (!File.Exists(_path))
        {
            _directory = UserDirectory.Empty;
            _loadedStamp = stamp;
            return _directory;
        }
        try
        {
            var file = JsonSerializer.Deserialize(File.ReadAllText(_path), UsersJson.Default.UsersFile)
                       ?? throw new JsonException("the file is empty");
            var directory = UserDirectory.Empty;
            foreach (var (entry, index) in (file.Users ?? []).Select((u, i) => (u, i)))
            {
                var hash = PasswordHash.Parse(entry.Hash ?? "");
                if (hash.IsFail) return Problem($"user #{index + 1} ('{entry.Nick}'): {hash.Match(_ => "", e => e.Message)}");
                var added = directory.Restore(new UserAccount(entry.Nick ?? "", (PasswordHash)hash));
                if (added.IsFail) return Problem($"user #{index + 1}: {added.Match(_ => "", e => e.Message)}");
                directory = (UserDirectory)added;
            }
            _directory = directory;
            _loadedStamp = stamp;
            return directory;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Problem(e.Message);
        }
    }

    private Fin<UserDirectory> Save(UserDirectory directory)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
            var file = new UsersFile(1, directory.List().Map(a => new UserEntry(a.Nick, a.Hash.Format())).ToArray());
            var temp = $"{_path}.{Environment.ProcessId}.tmp";
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, file, UsersJson.Default.UsersFile);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, _path, overwrite: true);
            _directory = directory;
            _loadedStamp = Stamp();
            return directory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error.New($"cannot write users file {_path}: {e.Message}");
        }
    }

    private Error Problem(string what) => Error.New($"malformed users file {_path}: {what}");

    private DateTime Stamp() => File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : DateTime.MinValue;
}

/// <summary>The users file on disk.</summary>
public sealed record UsersFile(int Version, UserEntry[]? Users);

/// <summary>One account on disk: the nickname and its self-describing hash.</summary>
public sealed record UserEntry(string? Nick, string? Hash);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UsersFile))]
internal sealed partial class UsersJson : JsonSerializerContext;
