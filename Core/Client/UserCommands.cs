using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatRoom.Core.Client;

/// <summary>Parsing typed lines into <see cref="UserCommand"/>s. Total: any string gives a command, never an exception.</summary>
public static class UserCommands
{
    /// <summary>How long <c>/wait</c> waits when the script does not say.</summary>
    public static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The longest <c>/wait</c> allowed (a day), so a typo cannot hang a script for ever.</summary>
    public static readonly TimeSpan MaxWaitTimeout = TimeSpan.FromDays(1);

    /// <summary>What <c>/help</c> shows.</summary>
    public static readonly string HelpText = string.Join('\n',
        "Type a line and press Enter to say it to the room. Commands:",
        "  /who                      who is in the room",
        "  /msg <nick> <text>        whisper to one user (only they see it)",
        "  /quit [reason]            leave the room (Ctrl+D and Ctrl+C leave too)",
        "  /logout                   revoke the stored login token (--remember) and leave",
        "  /history [n]              show the n room events before the oldest one shown (default 20)",
        "  /wait <regex> [seconds]   hold the next lines until an event matches (default 10 s);",
        "                            an event that came earlier counts, and each event is used by one /wait;",
        "                            history is skipped unless you write /wait --history <regex>",
        "  /help                     this list",
        "  //text                    say a line that starts with /");

    private static readonly string[] Identity = ["/nick", "/login", "/user", "/name"];

    /// <summary>Parses one line (without its end of line). Command names are case-insensitive.</summary>
    public static UserCommand Parse(string line)
    {
        if (line.Length == 0) return new UserCommand.Nothing();
        if (line[0] != '/') return new UserCommand.Say(line);
        if (line.StartsWith("//", StringComparison.Ordinal)) return new UserCommand.Say(line[1..]);

        var space = line.IndexOf(' ');
        var name = (space < 0 ? line : line[..space]).ToLowerInvariant();
        var rest = space < 0 ? "" : line[(space + 1)..];
        return name switch
        {
            "/who" => rest.Trim().Length == 0 ? new UserCommand.Who() : new UserCommand.Malformed("/who", "usage: /who"),
            "/msg" or "/whisper" => ParseMsg(rest),
            "/quit" or "/exit" => new UserCommand.Quit(rest),
            "/help" or "/?" => new UserCommand.Help(),
            "/logout" => rest.Trim().Length == 0 ? new UserCommand.Logout() : new UserCommand.Malformed("/logout", "usage: /logout"),
            "/wait" => ParseWait(rest),
            "/history" => ParseHistory(rest),
            _ when Identity.Contains(name) => new UserCommand.ChangeIdentity(name),
            _ => new UserCommand.Unknown(space < 0 ? line : line[..space]),
        };
    }

    /// <summary>The most <c>/history</c> asks for at once (the server's page caps it further).</summary>
    public const int MaxHistoryCount = 1000;

    private static UserCommand ParseHistory(string rest)
    {
        var n = rest.Trim();
        if (n.Length == 0) return new UserCommand.History(ClientSession.DefaultHistoryCount);
        return int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= MaxHistoryCount
            ? new UserCommand.History(count)
            : new UserCommand.Malformed("/history", $"usage: /history [n], n from 1 to {MaxHistoryCount}");
    }

    private static UserCommand ParseMsg(string rest)
    {
        var space = rest.IndexOf(' ');
        return space <= 0 || space == rest.Length - 1
            ? new UserCommand.Malformed("/msg", "usage: /msg <nick> <text>")
            : new UserCommand.Msg(rest[..space], rest[(space + 1)..]);
    }

    /// <summary>
    /// <c>/wait [--history] &lt;regex&gt; [seconds]</c>. When the last word is a positive number it is the timeout and the
    /// pattern is what comes before it; to wait for text ending in a number, end the pattern with <c>$</c>.
    /// </summary>
    private static UserCommand ParseWait(string rest)
    {
        const string historyFlag = "--history ";
        var history = rest.StartsWith(historyFlag, StringComparison.Ordinal);
        if (history) rest = rest[historyFlag.Length..].TrimStart();
        var pattern = rest;
        var timeout = DefaultWaitTimeout;
        var last = rest.LastIndexOf(' ');
        if (last > 0
            && double.TryParse(rest[(last + 1)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds <= 0 || seconds > MaxWaitTimeout.TotalSeconds)
                return new UserCommand.Malformed("/wait", $"/wait: the timeout must be more than 0 and at most {MaxWaitTimeout.TotalSeconds:0} seconds");
            pattern = rest[..last];
            timeout = TimeSpan.FromSeconds(seconds);
        }
        if (pattern.Length == 0) return new UserCommand.Malformed("/wait", "usage: /wait <regex> [timeout-seconds]");
        try
        {
            return new UserCommand.Wait(
                new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), timeout, history);
        }
        catch (ArgumentException e)
        {
            return new UserCommand.Malformed("/wait", $"/wait: invalid regular expression: {e.Message}");
        }
    }
}
