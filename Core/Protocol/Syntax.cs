using System.Globalization;
using System.Text;

namespace ChatRoom.Core.Protocol;

/// <summary>
/// The character rules of the protocol: what a nickname, a text and a free-form field may hold.
/// Every function here is total: it answers for any string, including ones with broken surrogates.
/// </summary>
public static class Syntax
{
    /// <summary>A nickname is 1 to this many characters (Unicode scalar values, so 北落 counts 2).</summary>
    public const int MaxNickChars = 32;

    /// <summary>
    /// A text (SAY, WHISPER, MESSAGE) is at most this many UTF-8 bytes. It is less than the 4096-byte line limit
    /// so that every server line that carries a text, with its verb, seq and two nicknames, still fits in one line.
    /// </summary>
    public const int MaxTextBytes = 3800;

    /// <summary>A reason relayed in LEFT (from QUIT or a disconnect) is cut to this many UTF-8 bytes.</summary>
    public const int MaxReasonBytes = 200;

    /// <summary>
    /// True for 1-32 letters, digits or <c>_ - .</c>; combining marks are allowed after the first character
    /// (so names in scripts such as Devanagari work). No spaces, no control characters.
    /// </summary>
    public static bool IsValidNick(string nick) =>
        nick.Length > 0 && (IsPlainAsciiNick(nick) || AllRunes(nick, static (r, index) =>
            index < MaxNickChars
            && (Rune.IsLetterOrDigit(r)
                || r.Value is '_' or '-' or '.'
                || (index > 0 && Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark))));

    /// <summary>True for a non-empty text of at most <see cref="MaxTextBytes"/> bytes with no control characters.</summary>
    public static bool IsValidText(string text) =>
        text.Length > 0 && IsValidField(text) && Encoding.UTF8.GetByteCount(text) <= MaxTextBytes;

    /// <summary>
    /// True for a free-form field (password, token, reason): possibly empty, with no control characters
    /// (so no CR, LF or NUL), no line or paragraph separators, no bidirectional overrides or isolates (which
    /// could make a line display as something else) and no broken surrogates.
    /// </summary>
    public static bool IsValidField(string field) =>
        field.AsSpan().IndexOfAnyExceptInRange(' ', '~') < 0 // printable ASCII: the common case, checked vectorised
        || AllRunes(field, static (r, _) =>
            Rune.GetUnicodeCategory(r) is not (UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            && r.Value is not ((>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069)));

    /// <summary>
    /// The longest prefix of <paramref name="s"/> with at most <paramref name="maxUnits"/> UTF-16 units that does
    /// not end in half a surrogate pair.
    /// </summary>
    public static string Truncate(string s, int maxUnits)
    {
        if (s.Length <= maxUnits) return s;
        var cut = Math.Max(0, maxUnits);
        if (cut > 0 && char.IsHighSurrogate(s[cut - 1])) cut--;
        return s[..cut];
    }

    /// <summary>A reason cut to at most <see cref="MaxReasonBytes"/> UTF-8 bytes, at a character boundary.</summary>
    public static string TruncateReason(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxReasonBytes) return reason;
        var units = Math.Min(reason.Length, MaxReasonBytes);
        while (units > 0 && Encoding.UTF8.GetByteCount(reason.AsSpan(0, units)) > MaxReasonBytes) units--;
        return Truncate(reason, units);
    }

    /// <summary>True for a non-empty field without spaces (a HELLO product name, for example).</summary>
    public static bool IsValidWord(string word) => word.Length > 0 && !word.Contains(' ') && IsValidField(word);

    /// <summary>
    /// The key under which a valid nickname is unique: compatibility-normalised (NFKC) and lower-cased,
    /// so "Alice", "ALICE" and the full-width "Ａｌｉｃｅ" are the same person.
    /// </summary>
    public static string FoldNick(string nick) =>
        IsValidNick(nick) ? nick.Normalize(NormalizationForm.FormKC).ToLowerInvariant() : nick.ToLowerInvariant();

    /// <summary>The fast path of <see cref="IsValidNick"/>: 1-32 ASCII letters, digits, _ - or .</summary>
    private static bool IsPlainAsciiNick(string nick) =>
        nick.Length <= MaxNickChars && nick.AsSpan().IndexOfAnyExcept(PlainNickChars) < 0;

    private static readonly System.Buffers.SearchValues<char> PlainNickChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.");

    /// <summary>True when every rune satisfies <paramref name="ok"/> (given its index); false on a broken surrogate.</summary>
    private static bool AllRunes(string s, Func<Rune, int, bool> ok)
    {
        var index = 0;
        for (var i = 0; i < s.Length; index++)
        {
            if (Rune.DecodeFromUtf16(s.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
                return false;
            if (!ok(rune, index)) return false;
            i += used;
        }
        return true;
    }
}
