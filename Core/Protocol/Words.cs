namespace ChatRoom.Core.Protocol;

/// <summary>
/// Splitting a line into its verb and parameters. Parameters are separated by exactly one space; the last
/// parameter of a verb may be "the rest of the line", spaces included.
/// </summary>
internal static class Words
{
    /// <summary>Splits at the first space: ("SAY", "hello world") or ("WHO", null) when there is no space.</summary>
    public static (string Head, string? Tail) SplitFirst(string s)
    {
        var space = s.IndexOf(' ');
        return space < 0 ? (s, null) : (s[..space], s[(space + 1)..]);
    }

    /// <summary>True when the rest of a line is absent or empty.</summary>
    public static bool IsNone(string? rest) => string.IsNullOrEmpty(rest);

    /// <summary>A sequence number: decimal digits only, no sign, no spaces.</summary>
    public static bool TryParseSeq(string s, out long seq) =>
        long.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out seq);

    /// <summary>Joins a verb with an optional trailing parameter: "PING" or "PING token".</summary>
    public static string WithOptional(string verb, string rest) => rest.Length == 0 ? verb : $"{verb} {rest}";

    /// <summary>
    /// The verb in upper case when it matches one of <paramref name="known"/> ignoring ASCII case, else unchanged.
    /// Only ASCII folding is used, so no exotic letter (such as the long s) can pass for a verb.
    /// </summary>
    public static string CanonicalVerb(string verb, string[] known)
    {
        foreach (var candidate in known)
            if (System.Text.Ascii.EqualsIgnoreCase(verb, candidate)) return candidate;
        return verb;
    }
}
