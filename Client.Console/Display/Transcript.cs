using System.Globalization;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Display;

/// <summary>
/// How events read in the transcript: <c>[14:03] alice: hello</c>, <c>* bob has joined</c>,
/// <c>* bob has left (quit)</c>, whispers as <c>[14:03] alice -> you (whisper): psst</c>.
/// <see cref="Text"/> (without the time) is also what <c>/wait</c> matches against.
/// </summary>
public static class Transcript
{
    /// <summary>The event as a line without its time; None for lines people never see (HELLO, PING, PONG).</summary>
    public static Option<string> Text(ServerEvent e, string me) => e switch
    {
        ServerEvent.Welcome w => $"* you are in the room as {w.Nick}",
        ServerEvent.Users u => $"* in the room: {string.Join(", ", u.Nicks)}",
        ServerEvent.Joined j => $"* {j.Nick} has joined",
        ServerEvent.Left l => l.Reason.Length == 0 ? $"* {l.Nick} has left" : $"* {l.Nick} has left ({l.Reason})",
        ServerEvent.Message m => $"{m.From}: {m.Text}",
        ServerEvent.Whisper w => $"{Person(w.From, me)} -> {Person(w.To, me)} (whisper): {w.Text}",
        ServerEvent.Error err => $"! {err.Text}",
        ServerEvent.Denied d => $"! login refused: {d.Reason}",
        ServerEvent.Bye b => b.Reason.Length == 0 ? "* bye" : $"* bye ({b.Reason})",
        _ => None,
    };

    /// <summary>The transcript line: the text, with <c>[HH:mm]</c> (local time) before what people said.</summary>
    public static Option<string> Line(ServerEvent e, string me, DateTimeOffset at) =>
        Text(e, me).Map(text => e is ServerEvent.Message or ServerEvent.Whisper ? $"[{Clock(at)}] {text}" : text);

    /// <summary>The time as the transcript shows it, 24-hour <c>HH:mm</c> whatever the culture.</summary>
    public static string Clock(DateTimeOffset at) => at.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Person(string nick, string me) =>
        me.Length > 0 && Syntax.FoldNick(nick) == Syntax.FoldNick(me) ? "you" : nick;
}
