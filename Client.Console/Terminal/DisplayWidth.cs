using System.Globalization;
using System.Text;

namespace ChatRoom.Client.Terminal;

/// <summary>
/// How many terminal columns text takes: 2 for East Asian wide characters (Chinese, Japanese, Korean, most
/// emoji), 0 for combining marks and format characters, 1 for the rest. A small table is enough here: the
/// input line only needs to know where to cut, and a wrong guess costs one column, never a garbled line.
/// </summary>
public static class DisplayWidth
{
    /// <summary>The columns taken by one text element (a letter with its marks counts once).</summary>
    public static int OfElement(string element)
    {
        var width = 0;
        foreach (var rune in element.EnumerateRunes()) width = Math.Max(width, Of(rune));
        return width;
    }

    /// <summary>The columns taken by a string.</summary>
    public static int Of(string text)
    {
        var width = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext()) width += OfElement((string)elements.Current);
        return width;
    }

    /// <summary>The columns taken by one code point.</summary>
    public static int Of(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.Control) return 0;
        return IsWide(rune.Value) ? 2 : 1;
    }

    private static bool IsWide(int c) =>
        c is >= 0x1100 and <= 0x115F          // Hangul Jamo
            or >= 0x2E80 and <= 0x303E        // CJK radicals, punctuation
            or >= 0x3041 and <= 0x33FF        // kana, CJK symbols
            or >= 0x3400 and <= 0x4DBF        // CJK extension A
            or >= 0x4E00 and <= 0x9FFF        // CJK unified ideographs
            or >= 0xA000 and <= 0xA4CF        // Yi
            or >= 0xAC00 and <= 0xD7A3        // Hangul syllables
            or >= 0xF900 and <= 0xFAFF        // CJK compatibility ideographs
            or >= 0xFE30 and <= 0xFE4F        // CJK compatibility forms
            or >= 0xFF00 and <= 0xFF60        // full-width forms
            or >= 0xFFE0 and <= 0xFFE6
            or >= 0x1F300 and <= 0x1F64F      // symbols and emoticons
            or >= 0x1F900 and <= 0x1F9FF
            or >= 0x20000 and <= 0x3FFFD;     // CJK extensions B and later
}
