using System.Globalization;
using System.Text;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Names;

/// <summary>
/// Which valid nicknames may be registered or used: UTS #39 (Unicode Security Mechanisms) on top of the
/// character rules of <see cref="Syntax.IsValidNick"/>. Pure: see <see cref="IcuSpoof"/> for why ICU may be
/// called from the core.
/// </summary>
/// <remarks>
/// Refused: any Default_Ignorable_Code_Point (zero-width joiners and spaces, variation selectors, the soft
/// hyphen, the combining grapheme joiner, Hangul fillers: all invisible), and whatever ICU's spoof checker
/// refuses at the "highly restrictive" level: more than one script, except Latin with Han and Hiragana/Katakana,
/// Han and Bopomofo, or Han and Hangul; invisible sequences (a mark repeated); digits of different systems; and
/// a dot hidden over a dotted letter (<c>i</c> + U+0307, and so the precomposed <c>İ</c>, whose capital I
/// looks like l). Plain ASCII is always one script and is answered
/// without ICU. Without ICU (a machine with no libicu) a non-ASCII nickname is refused: a rule that cannot be
/// checked is not waived.
/// </remarks>
public static class NickProfile
{
    /// <summary>The reason a nickname is refused, or None when it may be used.</summary>
    public static Option<string> Refusal(string nick)
    {
        if (!Syntax.IsValidNick(nick)) return Some($"1-{Syntax.MaxNickChars} letters, digits, _ - or .");
        if (Ascii.IsValid(nick)) return None;
        if (IcuSpoof.Instance.Case is not IcuSpoof icu)
            return Some("this server cannot check non-ASCII nicknames (no ICU); use ASCII letters and digits");
        foreach (var rune in nick.EnumerateRunes())
            if (icu.IsDefaultIgnorable(rune.Value))
                return Some(string.Create(CultureInfo.InvariantCulture, $"invisible character U+{rune.Value:X4}"));
        // The decomposed form too: ICU looks for a dot hidden over a dotted letter in what it is given, and
        // precomposed İ (I + U+0307) only shows that dot once decomposed (alİce passes for alice).
        var failed = icu.Check(nick) | icu.Check(nick.Normalize(NormalizationForm.FormD));
        return failed == 0 ? None : Some(Describe(failed));
    }

    /// <summary>True when <paramref name="nick"/> may be used (see <see cref="Refusal"/>).</summary>
    public static bool Allows(string nick) => Refusal(nick).IsNone;

    private static string Describe(int failed)
    {
        if (failed < 0) return "could not be checked by the Unicode spoof checks";
        var reasons = new StringBuilder();
        void Add(string reason) => reasons.Append(reasons.Length == 0 ? "" : "; ").Append(reason);
        if ((failed & 16) != 0) Add("mixes scripts (one script, or Han with kana, Bopomofo or Hangul, and Latin)");
        if ((failed & 32) != 0) Add("invisible sequence (a mark repeated)");
        if ((failed & 128) != 0) Add("mixes digits of different systems");
        if ((failed & 256) != 0) Add("a mark hidden over a dotted letter");
        if (reasons.Length == 0) Add("refused by the Unicode spoof checks");
        return reasons.ToString();
    }
}
