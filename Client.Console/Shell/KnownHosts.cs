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
        return new KnownHosts(System.IO.Path.Combine(PrivateFile.ConfigFolder, "known_hosts"));
    }

    /// <summary>
    /// The fingerprint remembered for <paramref name="endpoint"/> (host:port), if any; Left with the problem when
    /// the file exists but cannot be read. An unreadable file must not make a known server look new, or a changed
    /// certificate would be taken for a first meeting.
    /// </summary>
    public Either<string, Option<string>> Find(string endpoint) =>
        Entries().Map(entries => entries.Find(e => e.Endpoint == endpoint).Map(e => e.Fingerprint));

    /// <summary>Remembers (or replaces) the fingerprint of <paramref name="endpoint"/>. Returns the problem, if any.</summary>
    public Option<string> Remember(string endpoint, string fingerprint)
    {
        var read = Entries();
        if (read.Case is not Seq<(string Endpoint, string Fingerprint)> entries)
            return read.Match(_ => "", problem => problem); // never rewrite a file that could not be read
        var lines = entries.Filter(e => e.Endpoint != endpoint).Map(e => $"{e.Endpoint} {e.Fingerprint}").Add($"{endpoint} {fingerprint}");
        return PrivateFile.Replace(Path, string.Concat(lines.Map(line => line + "\n"))).Match(_ => None, e => Some(e.Message));
    }

    private Either<string, Seq<(string Endpoint, string Fingerprint)>> Entries()
    {
        try
        {
            // Only a path with nothing at all there is "no servers trusted yet"; anything else must be readable.
            if (!File.Exists(Path) && !Directory.Exists(Path)) return Right<string, Seq<(string, string)>>(Empty);
            return Right<string, Seq<(string, string)>>(toSeq(File.ReadAllLines(Path)
                .Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries))
                .Where(p => p.Length == 2 && p[0].Length > 0)
                .Select(p => (p[0], p[1]))).Strict());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Left<string, Seq<(string, string)>>($"cannot read {Path}: {e.Message}");
        }
    }
}
