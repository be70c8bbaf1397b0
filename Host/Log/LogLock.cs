using LanguageExt.Common;

namespace ChatRoom.Host;

/// <summary>
/// The room log's writer lock: an exclusive <c>flock</c> on <c>room.db.lock</c> next to the database, held for as
/// long as the log is open, so that a second server on the same data folder stops at start instead of giving the
/// same seqs twice. A sibling file rather than SQLite's <c>locking_mode=EXCLUSIVE</c>: that would shut out the
/// read-only connections (history export, history reads on other connections of this process) that WAL is
/// chosen for. The kernel drops an flock when its holder dies, so a killed server never leaves the log locked.
/// Readers do not take it.
/// </summary>
internal sealed class LogLock : IDisposable
{
    private readonly FileStream _file;

    private LogLock(FileStream file) => _file = file;

    /// <summary>
    /// Takes the lock without waiting (another holder is another live server, which will not let go). Errors name
    /// the database, since that is what the administrator knows.
    /// </summary>
    public static Fin<LogLock> Take(string database)
    {
        var path = database + ".lock";
        if (SecretFile.LockingDisabled)
            return Error.New($"cannot lock room log {database}: file locking is disabled (DOTNET_SYSTEM_IO_DISABLEFILELOCKING), so two servers could share it");
        try
        {
            // FileShare.None is flock(LOCK_EX | LOCK_NB) on Linux (see SecretFile); the file is created 0600.
            return new LogLock(new FileStream(path, SecretFile.Options(FileMode.OpenOrCreate, FileAccess.ReadWrite)));
        }
        catch (IOException) when (File.Exists(path))
        {
            return Error.New($"room log {database} is locked by another process (is another server using this data folder?)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error.New($"room log {database} is not writable: cannot create its lock file {path}: {e.Message}");
        }
    }

    public void Dispose() => _file.Dispose();
}
