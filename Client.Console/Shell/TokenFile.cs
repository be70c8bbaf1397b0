using System.Globalization;
using ChatRoom.Core.Protocol;
using LanguageExt.Common;

namespace ChatRoom.Client.Shell;

/// <summary>
/// Where the client keeps a resume token, only when asked: <c>--remember</c> uses one file per server and
/// nickname under the user's config folder (<c>$XDG_CONFIG_HOME/chatroom/tokens</c>, else
/// <c>~/.config/chatroom/tokens</c>), <c>--token-file PATH</c> the file given. The file holds one line,
/// <c>&lt;token&gt; &lt;expires-utc&gt;</c>; it is created 0600 in a folder created 0700 and replaced whole (a
/// temporary file renamed over it). A token never appears on the command line. Next to it, <c>PATH.seen</c>
/// (also 0600) holds the newest room seq the client saw with it, so that after a reconnect it shows only what
/// it missed.
/// </summary>
internal sealed record TokenFile(string Path)
{
    /// <summary>The file <c>--remember</c> uses for <paramref name="nick"/> on <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static TokenFile Remembered(string host, int port, string nick)
    {
        var name = $"{Uri.EscapeDataString(host)}-{port.ToString(CultureInfo.InvariantCulture)}-{Uri.EscapeDataString(Syntax.FoldNick(nick))}";
        return new TokenFile(System.IO.Path.Combine(PrivateFile.ConfigFolder, "tokens", name));
    }

    /// <summary>The stored token, if the file holds one that has not expired at <paramref name="now"/>.</summary>
    public Option<Secret> Read(DateTimeOffset now)
    {
        try
        {
            if (!File.Exists(Path)) return None;
            var parts = (File.ReadLines(Path).FirstOrDefault() ?? "").Split(' ');
            return parts.Length == 2 && Secret.IsValidToken(parts[0])
                   && DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires)
                   && expires > now
                ? Some(new Secret(parts[0]))
                : None;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return None;
        }
    }

    /// <summary>Stores a token (mode 0600, folder 0700), replacing what was there.</summary>
    public Fin<Unit> Write(Secret token, DateTimeOffset expires) =>
        PrivateFile.Replace(Path, $"{token.Value} {expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\n");

    /// <summary>The file of the newest seq seen, next to the token file.</summary>
    public string LastSeenPath => Path + ".seen";

    /// <summary>The newest room seq the last run saw, or 0 when none was kept (or the file is unreadable).</summary>
    public long ReadLastSeen()
    {
        try
        {
            return File.Exists(LastSeenPath)
                   && long.TryParse((File.ReadLines(LastSeenPath).FirstOrDefault() ?? "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
                ? seq
                : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Keeps the newest seq seen (mode 0600), replacing what was there.</summary>
    public Fin<Unit> WriteLastSeen(long seq) =>
        PrivateFile.Replace(LastSeenPath, seq.ToString(CultureInfo.InvariantCulture) + "\n");

    /// <summary>Removes the stored token and the seq kept with it, if any.</summary>
    public Fin<Unit> Delete()
    {
        try
        {
            File.Delete(Path);
            File.Delete(LastSeenPath);
            return unit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error.New($"cannot remove the token file {Path}: {e.Message}");
        }
    }
}
