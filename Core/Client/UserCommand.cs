using System.Text.RegularExpressions;

namespace ChatRoom.Core.Client;

/// <summary>
/// One line typed by a person or read from a script, after parsing. Plain text is said to the room; a line that
/// starts with <c>/</c> is a command. A closed hierarchy.
/// </summary>
public abstract record UserCommand
{
    private UserCommand() { }

    /// <summary>Plain text (or <c>//text</c>, which says <c>/text</c>): say it to the room.</summary>
    public sealed record Say(string Text) : UserCommand;

    /// <summary><c>/msg &lt;nick&gt; &lt;text&gt;</c>: whisper to one user.</summary>
    public sealed record Msg(string To, string Text) : UserCommand;

    /// <summary><c>/who</c>: ask who is online.</summary>
    public sealed record Who : UserCommand;

    /// <summary><c>/quit [reason]</c>: leave the room.</summary>
    public sealed record Quit(string Reason) : UserCommand;

    /// <summary><c>/logout</c>: revoke this session's resume token, delete the stored one, and leave.</summary>
    public sealed record Logout : UserCommand;

    /// <summary><c>/help</c>: list the commands.</summary>
    public sealed record Help : UserCommand;

    /// <summary><c>/nick</c>, <c>/login</c>, <c>/user</c>: an attempt to change identity, which the protocol forbids.</summary>
    public sealed record ChangeIdentity(string Command) : UserCommand;

    /// <summary>
    /// <c>/wait [--history] &lt;regex&gt; [timeout-seconds]</c>: hold the following lines until an event matches;
    /// a history event (protocol 2) counts only with <c>--history</c>.
    /// </summary>
    public sealed record Wait(Regex Pattern, TimeSpan Timeout, bool IncludeHistory = false) : UserCommand
    {
        /// <summary>Equal when the pattern is the same text with the same options (a <see cref="Regex"/> compares by reference).</summary>
        public bool Equals(Wait? other) =>
            other is not null && PendingWait.SamePattern(Pattern, other.Pattern) && Timeout == other.Timeout && IncludeHistory == other.IncludeHistory;

        /// <summary>Hashes what <see cref="Equals(Wait?)"/> compares.</summary>
        public override int GetHashCode() => HashCode.Combine(Pattern.ToString(), Pattern.Options, Timeout, IncludeHistory);
    }

    /// <summary><c>/history [n]</c>: show the n room events before the oldest one seen (protocol 2).</summary>
    public sealed record History(int Count) : UserCommand;

    /// <summary>A command nobody knows.</summary>
    public sealed record Unknown(string Name) : UserCommand;

    /// <summary>A known command used the wrong way; <paramref name="Problem"/> says how to use it.</summary>
    public sealed record Malformed(string Command, string Problem) : UserCommand;

    /// <summary>An empty line: nothing to do.</summary>
    public sealed record Nothing : UserCommand;
}
