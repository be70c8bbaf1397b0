using LanguageExt.Common;

namespace ChatRoom.Client.Shell;

/// <summary>
/// The files the client keeps for its user alone (the servers trusted, login tokens): under the user's config
/// folder, created 0600 in folders created 0700, and replaced whole (a temporary file renamed over the old one),
/// so a crash never leaves half a file and no other user of the machine can read them.
/// </summary>
internal static class PrivateFile
{
    /// <summary><c>$XDG_CONFIG_HOME/chatroom</c>, else <c>~/.config/chatroom</c>.</summary>
    public static string ConfigFolder =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "chatroom");

    /// <summary>Writes <paramref name="text"/> as the whole of <paramref name="path"/>. The error names the file.</summary>
    public static Fin<Unit> Replace(string path, string text)
    {
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            CreateFolders(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(temp, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
                writer.Write(text);
            File.Move(temp, path, overwrite: true);
            return unit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
            }
            return Error.New($"cannot write {path}: {e.Message}");
        }
    }

    /// <summary>Creates the folder and every missing one above it owner-only (0700), outermost first.</summary>
    private static void CreateFolders(string folder)
    {
        var missing = new Stack<string>();
        for (var f = folder; !string.IsNullOrEmpty(f) && !Directory.Exists(f); f = Path.GetDirectoryName(f)) missing.Push(f);
        while (missing.TryPop(out var f))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(f);
            else Directory.CreateDirectory(f, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
