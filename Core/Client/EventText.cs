using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Client;

/// <summary>
/// An event as one line of text without its time: <c>alice: hello</c>, <c>* bob has joined</c>,
/// <c>alice -> you (whisper): psst</c>. It is what <c>/wait</c> matches against, so it is defined here, next to the
/// reducer that matches it, and the transcript shows the same text after the time; a script's pattern and what the
/// person reads can then never drift apart.
/// </summary>
public static class EventText
{
    /// <summary>
    /// The event's text as seen by <paramref name="me"/> (the client's own nickname, so a whisper can say "you");
    /// None for lines people never see (HELLO, PING, PONG, PROTOCOL, END).
    /// </summary>
    public static Option<string> Of(ServerEvent e, string me) => e switch
    {
        ServerEvent.History h => Of(h.Event, me),
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

    private static string Person(string nick, string me) =>
        me.Length > 0 && Syntax.FoldNick(nick) == Syntax.FoldNick(me) ? "you" : nick;
}
