using System.Text;

namespace ChatRoom.Core.Names;

/// <summary>
/// The keys under which nicknames that look alike collide: UTS #39 confusable skeletons. Two nicknames look
/// alike when they share a key; the server lets no two accounts, and no two members online, share one.
/// Pure: see <see cref="IcuSpoof"/> for why ICU may be called from the core.
/// </summary>
/// <remarks>
/// A nickname has two keys, because a skeleton and case folding do not commute. <see cref="Keys"/>.First is
/// the skeleton of the folded nickname (NFKC, lower case, as <see cref="Protocol.Syntax.FoldNick"/>), so
/// <c>ALICE</c>, <c>ɑlice</c>, <c>alıce</c> and <c>a1ice</c> meet <c>alice</c>; Second is the lower-cased
/// skeleton of the nickname as typed, so <c>aIice</c> (capital I, whose prototype is l) meets it too: folding
/// first would turn that I into i. Plain ASCII is mapped without ICU, from a table read from ICU once
/// (see <see cref="AsciiPrototypes"/>), so a login storm of ASCII names costs at most two short strings each,
/// and none for a lower-case name without m, I, 0 or 1 (its keys are the name itself).
/// </remarks>
public static class Lookalike
{
    /// <summary>The two keys of a valid nickname (often equal).</summary>
    public static (string First, string Second) Keys(string nick)
    {
        if (Ascii.IsValid(nick)) return AsciiKeys(nick);
        if (IcuSpoof.Instance.Case is not IcuSpoof icu)
        {
            // Such a nickname is refused by NickProfile; its keys still have to be something stable.
            var folded = Protocol.Syntax.FoldNick(nick);
            return (folded, folded);
        }
        return (icu.Skeleton(Protocol.Syntax.FoldNick(nick)), icu.Skeleton(nick).ToLowerInvariant());
    }

    /// <summary>True when the two nicknames share a key: they could be taken for each other.</summary>
    public static bool LookAlike(string a, string b)
    {
        var (a1, a2) = Keys(a);
        var (b1, b2) = Keys(b);
        return a1 == b1 || a1 == b2 || a2 == b1 || a2 == b2;
    }

    /// <summary>
    /// The prototype (skeleton) of each printable ASCII character, from ICU when it loads. Without ICU, the
    /// mappings ICU 72 (Unicode 15.0 confusables.txt) gives for the characters a nickname may hold, which a
    /// test compares with the live ICU: m → rn, I → l, 1 → l, 0 → O.
    /// </summary>
    internal static readonly string[] AsciiPrototypes = BuildPrototypes();

    private static string[] BuildPrototypes()
    {
        var table = new string[128];
        for (var c = 0; c < 128; c++) table[c] = ((char)c).ToString();
        if (IcuSpoof.Instance.Case is IcuSpoof icu)
            for (var c = 0x21; c < 0x7F; c++) table[c] = icu.Skeleton(((char)c).ToString());
        else
        {
            table['m'] = "rn";
            table['I'] = "l";
            table['1'] = "l";
            table['0'] = "O";
        }
        return table;
    }

    /// <summary>The ASCII characters a key changes: upper case (folded) and those whose prototype is another.</summary>
    private static readonly System.Buffers.SearchValues<char> Changed = System.Buffers.SearchValues.Create(
        Enumerable.Range(0, 128).Select(c => (char)c).Where(c => char.IsAsciiLetterUpper(c) || AsciiPrototypes[c] != c.ToString()).ToArray());

    [System.Runtime.CompilerServices.SkipLocalsInit]
    private static (string, string) AsciiKeys(string nick)
    {
        // Most names need nothing: both keys are the name itself, and nothing is allocated.
        if (nick.AsSpan().IndexOfAny(Changed) < 0) return (nick, nick);
        if (nick.Length > 64) return Slow(nick);
        Span<char> first = stackalloc char[nick.Length * 4];
        Span<char> second = stackalloc char[nick.Length * 4];
        int f = 0, s = 0;
        foreach (var c in nick)
        {
            var lower = AsciiPrototypes[char.IsAsciiLetterUpper(c) ? c | 0x20 : c];
            var typed = AsciiPrototypes[c];
            if (f + lower.Length > first.Length || s + typed.Length > second.Length) return Slow(nick);
            lower.AsSpan().CopyTo(first[f..]);
            f += lower.Length;
            foreach (var t in typed) second[s++] = char.IsAsciiLetterUpper(t) ? (char)(t | 0x20) : t;
        }
        var one = new string(first[..f]);
        return first[..f].SequenceEqual(second[..s]) ? (one, one) : (one, new string(second[..s]));
    }

    private static (string, string) Slow(string nick)
    {
        var first = new StringBuilder();
        var second = new StringBuilder();
        foreach (var c in nick)
        {
            first.Append(AsciiPrototypes[char.ToLowerInvariant(c)]);
            second.Append(AsciiPrototypes[c].ToLowerInvariant());
        }
        return (first.ToString(), second.ToString());
    }
}
