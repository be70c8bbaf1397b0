namespace ChatRoom.Client.Shell;

/// <summary>
/// The servers this user has trusted on first use: one line per server, <c>host:port SHA256:AB:...</c>, in
/// <c>$XDG_CONFIG_HOME/chatroom/known_hosts</c> (else <c>~/.config/chatroom/known_hosts</c>). The file is
/// created 0600 in a folder created 0700 (it says which servers you use), and written whole, by rename.
/// </summary>
internal sealed class KnownHosts(string path)
{
    public string Path { get; } = path;

    /// <summary>The file under the user's configuration folder.</summary>
    public static KnownHosts Default()
    {
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return new KnownHosts(System.IO.Path.Combine(config, "chatroom", "known_hosts"));
    }

    /// <summary>The fingerprint remembered for <paramref name="endpoint"/> (host:port), if any.</summary>
    public Option<string> Find(string endpoint) =>
        Entries().Find(e => e.Endpoint == endpoint).Map(e => e.Fingerprint);

    /// <summary>Remembers (or replaces) the fingerprint of <paramref name="endpoint"/>. Returns the problem, if any.</summary>
    public Option<string> Remember(string endpoint, string fingerprint)
    {
        var lines = Entries().Filter(e => e.Endpoint != endpoint).Map(e => $"{e.Endpoint} {e.Fingerprint}").Add($"{endpoint} {fingerprint}");
        var temp = $"{Path}.{Environment.ProcessId}.tmp";
        try
        {
            var folder = System.IO.Path.GetDirectoryName(Path)!;
            if (!Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
                else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(temp, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
                foreach (var line in lines) writer.Write(line + "\n");
            File.Move(temp, Path, overwrite: true);
            return None;
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
            return $"cannot write {Path}: {e.Message}";
        }
    }

    private Seq<(string Endpoint, string Fingerprint)> Entries()
    {
        try
        {
            if (!File.Exists(Path)) return Empty;
            return toSeq(File.ReadAllLines(Path)
                .Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries))
                .Where(p => p.Length == 2 && p[0].Length > 0)
                .Select(p => (p[0], p[1]))).Strict();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Empty; // an unreadable file vouches for nothing: the server is treated as unknown
        }
    }
}
