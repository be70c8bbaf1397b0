namespace ChatRoom.Core.Protocol;

/// <summary>
/// A secret the protocol carries: a resume token (<c>TOKEN</c>, <c>RESUME</c>). Its text form is always
/// <c>***</c>, so a command, an event, an effect or a session that holds one can be logged or traced without
/// showing it; only the codec reads <see cref="Value"/>.
/// </summary>
/// <param name="Value">The token as it travels on the wire: base64url characters only.</param>
public sealed record Secret(string Value)
{
    /// <summary>The fewest characters a token may have: 22 base64url characters hold 128 bits.</summary>
    public const int MinChars = 22;

    /// <summary>The most characters a token may have (the server issues 43: 256 bits).</summary>
    public const int MaxChars = 64;

    /// <summary>No secret (a RESUME that lacks its token).</summary>
    public static readonly Secret None = new("");

    /// <summary>True when there is no secret.</summary>
    public bool IsEmpty => Value.Length == 0;

    /// <summary>
    /// True for <see cref="MinChars"/> to <see cref="MaxChars"/> characters of the base64url alphabet
    /// (<c>A-Z a-z 0-9 - _</c>, no padding): one word, nothing that could end a line or hide.
    /// </summary>
    public static bool IsValidToken(string token)
    {
        if (token.Length is < MinChars or > MaxChars) return false;
        foreach (var c in token)
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_')) return false;
        return true;
    }

    /// <summary>Never shows the secret.</summary>
    public override string ToString() => "***";
}
