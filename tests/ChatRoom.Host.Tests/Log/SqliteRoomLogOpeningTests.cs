using System.Diagnostics;
using static ChatRoom.Host.Tests.Log.LogFixtures;

namespace ChatRoom.Host.Tests.Log;

/// <summary>A room log that cannot be used stops the server at start with an error naming the file.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class SqliteRoomLogOpeningTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static string Refusal(string path) =>
        SqliteRoomLog.Open(path).Match(log =>
        {
            log.Dispose();
            return "opened";
        }, e => e.Message);

    [Fact]
    public void A_file_of_garbage_is_refused_as_not_a_database()
    {
        using var dir = new TempDir();
        var path = dir.File("room.db");
        File.WriteAllBytes(path, Enumerable.Range(0, 8192).Select(i => (byte)(i * 37 % 251)).ToArray());
        var error = Refusal(path);
        Assert.Contains(path, error);
        Assert.Contains("not a SQLite database", error);
    }

    [Fact]
    public void A_room_log_whose_newest_pages_are_damaged_is_refused_as_corrupt()
    {
        using var dir = new TempDir();
        var path = dir.File("room.db");
        using (var log = SqliteRoomLog.Open(path).ThrowIfFail()) log.Append(Messages(2000));
        // Overwrite the last pages, where appends and recovery read (the file is checkpointed on close).
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Position = file.Length - 4096 * 3;
            file.Write(Enumerable.Repeat((byte)0x5A, 4096 * 3).ToArray());
        }
        var error = Refusal(path);
        Assert.Contains(path, error);
        Assert.Contains("corrupt", error);
    }

    [Fact]
    public void Another_database_is_refused_as_not_a_room_log()
    {
        using var dir = new TempDir();
        var path = dir.File("room.db");
        using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            other.Open();
            using var create = other.CreateCommand();
            create.CommandText = "CREATE TABLE t (x)";
            create.ExecuteNonQuery();
        }
        Assert.Contains("not a room log", Refusal(path));
    }

    [Fact]
    public void A_log_held_by_another_open_is_refused_as_locked_until_it_is_closed()
    {
        using var dir = new TempDir();
        var path = dir.File("room.db");
        var first = SqliteRoomLog.Open(path).ThrowIfFail();
        var error = Refusal(path);
        Assert.Equal($"room log {path} is locked by another process (is another server using this data folder?)", error);
        first.Append(Messages(1)); // the first one is unharmed
        first.Dispose();
        Assert.Equal("opened", Refusal(path));
    }

    [LinuxFact]
    public async Task A_log_held_by_another_process_is_refused_as_locked()
    {
        using var dir = new TempDir();
        var path = dir.File("room.db");
        File.WriteAllText(path + ".lock", "");
        // util-linux flock(1) holds the same kind of lock a second server would.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", path + ".lock", "sleep", "30"]))!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            string error;
            while ((error = Refusal(path)) == "opened" && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.Contains("is locked by another process", error);
        }
        finally
        {
            holder.Kill();
        }
    }

    [LinuxFact]
    public void A_read_only_file_is_refused_as_not_writable()
    {
        using var dir = new TempDir();
        var path = dir.File("room.db");
        using (var log = SqliteRoomLog.Open(path).ThrowIfFail()) log.Append(Messages(1));
        using (ReadOnly(path))
        {
            var error = Refusal(path);
            Assert.Contains(path, error);
            Assert.Contains("not writable", error);
        }
        Assert.Equal("opened", Refusal(path)); // and nothing was harmed
    }

    [LinuxFact]
    public void A_new_log_in_a_read_only_folder_is_refused_as_not_writable()
    {
        using var dir = new TempDir();
        var folder = dir.File("data");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "room.db");
        using (ReadOnly(folder))
        {
            var error = Refusal(path);
            Assert.Contains(path, error);
            Assert.Contains("not writable", error);
        }
    }

    [Fact]
    public void A_log_whose_folder_is_a_file_is_refused_naming_it()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("data"), "");
        var path = dir.File("data/room.db");
        var error = Refusal(path);
        Assert.Contains(path, error);
        Assert.Contains("not writable", error);
    }

    [LinuxFact]
    public void The_log_its_lock_and_its_wal_files_are_0600_in_a_folder_0700()
    {
        using var dir = new TempDir();
        var path = dir.File("fresh/room.db");
        using var log = SqliteRoomLog.Open(path).ThrowIfFail();
        log.Append(Messages(10));
        _ = log.Before(long.MaxValue, 1);
        Assert.Equal(OwnerReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir.File("fresh")));
        foreach (var file in new[] { path, path + ".lock", path + "-wal", path + "-shm" })
        {
            Assert.True(File.Exists(file), file);
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(file));
        }
    }

    [LinuxFact]
    public void A_log_file_made_readable_to_others_is_made_0600_again_at_open()
    {
        using var dir = new TempDir();
        var path = dir.File("room.db");
        using (SqliteRoomLog.Open(path).ThrowIfFail()) { }
        File.SetUnixFileMode(path, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using (SqliteRoomLog.Open(path).ThrowIfFail()) { }
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
    }

    /// <summary>
    /// Makes <paramref name="path"/> unwritable until disposed. Root writes through file modes, so as root this
    /// sets the immutable attribute (chattr +i; root cannot write such a file nor create files in such a folder),
    /// otherwise it takes the write bits away.
    /// </summary>
    private static IDisposable ReadOnly(string path)
    {
        if (Environment.UserName == "root" || Geteuid() == 0)
        {
            Chattr("+i", path);
            return new Undo(() => Chattr("-i", path));
        }
        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        return new Undo(() => File.SetUnixFileMode(path, mode));
    }

    private static void Chattr(string flag, string path)
    {
        using var chattr = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
        var error = chattr.StandardError.ReadToEnd();
        chattr.WaitForExit();
        Assert.True(chattr.ExitCode == 0, $"chattr {flag} {path} failed ({error.Trim()}): as root, the test needs a file system with the immutable attribute");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint Geteuid();

    private sealed class Undo(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
