using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.FullScreen;

/// <summary>
/// Tab in the compose box completes the nickname being typed, from those online, as IRC clients do: the word
/// before the cursor is the prefix (case does not matter); a word at the start of the line gets ": " after it,
/// elsewhere a space. Pressing Tab again at once goes on to the next match, in the user list's order, and back
/// to the first. Your own nickname is not offered.
/// </summary>
public static class NickCompletion
{
    /// <summary>A completion in progress, so the next Tab can go on to the next match.</summary>
    public sealed record Cycle(string Before, string After, Seq<string> Matches, int Index, string Produced);

    /// <summary>The text and cursor after Tab, with the cycle to pass to the next Tab; None when nothing matches.</summary>
    public static Option<(string Text, int Cursor, Cycle Cycle)> Tab(string text, int cursor, Seq<string> online, string me, Cycle? last)
    {
        cursor = Math.Clamp(cursor, 0, text.Length);
        if (last is not null && last.Produced == text && last.Matches.Count > 0)
            return Produce(last.Before, last.After, last.Matches, (last.Index + 1) % last.Matches.Count);

        var start = text.LastIndexOf(' ', Math.Max(cursor - 1, 0), cursor) + 1;
        if (cursor == 0) start = 0;
        var prefix = text[start..cursor];
        if (prefix.Length == 0) return None;
        var folded = prefix.ToLowerInvariant();
        var matches = online
            .Filter(nick => Syntax.FoldNick(nick) != Syntax.FoldNick(me) && Syntax.FoldNick(nick).StartsWith(folded, StringComparison.Ordinal))
            .Strict();
        if (matches.IsEmpty) return None;
        return Produce(text[..start], text[cursor..], matches, 0);
    }

    private static (string, int, Cycle) Produce(string before, string after, Seq<string> matches, int index)
    {
        var word = matches[index] + (before.Length == 0 ? ": " : " ");
        var rest = after.StartsWith(' ') && word.EndsWith(' ') ? after[1..] : after;
        var text = before + word + rest;
        return (text, before.Length + word.Length, new Cycle(before, after, matches, index, text));
    }
}
