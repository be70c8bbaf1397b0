using System.Globalization;
using System.Text;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.FullScreen;

/// <summary>Why a transcript line stands out.</summary>
public enum HighlightKind
{
    None,
    /// <summary>Someone else's message names you, as a whole word.</summary>
    Mention,
    /// <summary>A whisper to you from someone else.</summary>
    Whisper,
}

/// <summary>
/// Which lines are highlighted and ring the bell: a whisper to you, and a message from someone else that names
/// you as a word of its own (case does not matter: "Alice," and "@alice" do, "malice" does not). What you say
/// yourself never does, nor does history (<see cref="Rings"/>): the past is not news.
/// </summary>
public static class Highlight
{
    public static HighlightKind Of(ServerEvent e, string me)
    {
        if (me.Length == 0) return HighlightKind.None;
        var self = Syntax.FoldNick(me);
        return e switch
        {
            ServerEvent.Whisper w when Syntax.FoldNick(w.To) == self && Syntax.FoldNick(w.From) != self => HighlightKind.Whisper,
            ServerEvent.Message m when Syntax.FoldNick(m.From) != self && Names(m.Text, me) => HighlightKind.Mention,
            _ => HighlightKind.None,
        };
    }

    /// <summary>True when the event should ring the bell: highlighted, live, and the bell is on.</summary>
    public static bool Rings(HighlightKind kind, bool history, bool bell) => bell && !history && kind != HighlightKind.None;

    /// <summary>True when <paramref name="text"/> contains <paramref name="nick"/> with no letter, digit or nickname character either side.</summary>
    public static bool Names(string text, string nick)
    {
        var haystack = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var needle = Syntax.FoldNick(nick);
        for (var at = haystack.IndexOf(needle, StringComparison.Ordinal); at >= 0;
             at = haystack.IndexOf(needle, at + 1, StringComparison.Ordinal))
        {
            var end = at + needle.Length;
            if ((at == 0 || !IsNickChar(haystack, at - 1)) && (end == haystack.Length || !IsNickChar(haystack, end))) return true;
        }
        return false;
    }

    private static bool IsNickChar(string s, int index)
    {
        var c = s[index];
        if (char.IsSurrogate(c)) return true;
        if (c is '_' or '-') return true;
        // A full stop ends a sentence ("thanks alice."), so it is not counted as part of a nickname there.
        return char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
    }
}
