using LanguageExt.Common;

namespace ChatRoom.Host;

/// <summary>
/// A file that holds secrets (password hashes, token hashes, private keys): created 0600 in a folder created
/// 0700, replaced only whole (a temporary file renamed over it, so a crash never leaves half a file), and changed
/// only under an exclusive lock on a sibling <c>.lock</c> file, so that two writers (two <c>users add</c>, or
/// one and a running server) never lose each other's change. The lock is <c>flock</c>, which the kernel drops
/// when its holder dies, so a killed writer never leaves the file locked.
/// </summary>
public static class SecretFile
{
    /// <summary>Owner read and write only.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner only.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>How long a writer waits for another one to finish before giving up with an error.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="change"/> while holding the file's lock (waiting up to <see cref="LockWait"/> for it),
    /// after removing temporary files that a killed writer left behind. Errors name the file; never throws for I/O.
    /// </summary>
    public static Fin<T> Locked<T>(string path, Func<Fin<T>> change)
    {
        if (LockingDisabled) return Error.New($"cannot lock {Path.GetFullPath(path)}.lock: file locking is disabled (DOTNET_SYSTEM_IO_DISABLEFILELOCKING), so a change could lose another writer's");
        var held = Lock(path);
        if (held.IsFail) return held.Match(_ => default(Fin<T>), e => FinFail<T>(e));
        using var lockFile = (FileStream)held;
        RemoveLeftovers(path);
        return change();
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with what <paramref name="write"/> writes: to a temporary file (0600,
    /// flushed to disk) in the same folder, then renamed over the old file. Creates the folder (0700) if needed.
    /// Call it under <see cref="Locked"/> when others may write too.
    /// </summary>
    public static Fin<Unit> Replace(string path, Action<Stream> write)
    {
        var temp = TempName(path, Environment.ProcessId);
        try
        {
            CreateFolder(path);
            using (var stream = new FileStream(temp, Options(System.IO.FileMode.Create, FileAccess.Write)))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            return unit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            return Error.New($"cannot write {path}: {e.Message}");
        }
    }

    /// <summary>Creates the folder that holds <paramref name="path"/>, owner-only, if it does not exist.</summary>
    public static void CreateFolder(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (Directory.Exists(folder)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, FolderMode);
    }

    /// <summary>
    /// Removes the temporary files of writers that are no longer running (a kill between write and rename).
    /// Temporary files are named <c>&lt;file&gt;.&lt;pid&gt;.tmp</c>; the current process's own is left alone.
    /// </summary>
    public static void RemoveLeftovers(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder)) return;
        var prefix = Path.GetFileName(full) + ".";
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, prefix + "*.tmp"))
            {
                var middle = Path.GetFileName(file)[prefix.Length..^".tmp".Length];
                if (int.TryParse(middle, out var pid) && pid != Environment.ProcessId && !Running(pid)) TryDelete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover that cannot be listed or removed is no worse than before.
        }
    }

    private static Fin<FileStream> Lock(string path)
    {
        var lockPath = Path.GetFullPath(path) + ".lock";
        var deadline = DateTime.UtcNow + LockWait;
        var pause = 5;
        while (true)
        {
            try
            {
                CreateFolder(lockPath);
                return new FileStream(lockPath, Options(System.IO.FileMode.OpenOrCreate, FileAccess.ReadWrite));
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                // Another writer holds it (FileShare.None is flock(LOCK_EX | LOCK_NB) on Linux; checked with strace
                // and against util-linux flock(1)): wait, then retry.
                if (DateTime.UtcNow >= deadline)
                    return Error.New($"cannot lock {lockPath}: another writer has held it for {LockWait.TotalSeconds:0} s");
                Thread.Sleep(pause);
                pause = Math.Min(100, pause * 2);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Error.New($"cannot lock {lockPath}: {e.Message}");
            }
        }
    }

    /// <summary>
    /// True when .NET was told not to lock files (the <c>System.IO.DisableFileLocking</c> switch, or its environment
    /// variable): FileShare.None would then lock nothing, and <see cref="Locked"/> refuses rather than race.
    /// </summary>
    internal static bool LockingDisabled =>
        !OperatingSystem.IsWindows() &&
        ((AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var off) && off) ||
         Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING") is "1" or "true" or "TRUE" or "True");

    /// <summary>Exclusive (on Linux an flock), and created owner-only.</summary>
    internal static FileStreamOptions Options(System.IO.FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        return options;
    }

    private static string TempName(string path, int pid) => $"{Path.GetFullPath(path)}.{pid}.tmp";

    private static bool Running(int pid) => Directory.Exists($"/proc/{pid}");

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
