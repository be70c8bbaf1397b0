using LanguageExt.Common;

namespace ChatRoom.Core.Protocol;

/// <summary>
/// The expected errors of framing, decoding and encoding, as LanguageExt <see cref="Error"/> values whose
/// <see cref="Error.Code"/> is the protocol's error code, so the shell can answer <c>ERROR code text</c> directly.
/// </summary>
public static class ProtocolErrors
{
    /// <summary>A line longer than the framer's limit (413).</summary>
    public static Error LineTooLong(int maxLineBytes) =>
        Error.New(ErrorCodes.LineTooLong, $"line too long (limit {maxLineBytes} bytes)");

    /// <summary>A line that is not valid UTF-8 (400).</summary>
    public static readonly Error InvalidUtf8 = Error.New(ErrorCodes.Malformed, "line is not valid UTF-8");

    /// <summary>A verb nobody knows (400).</summary>
    public static Error UnknownVerb(string verb) =>
        Error.New(ErrorCodes.Malformed, $"unknown command {Printable(verb)}");

    /// <summary>A known verb with the wrong parameters (400).</summary>
    public static Error Usage(string usage) => Error.New(ErrorCodes.Malformed, $"usage: {usage}");

    /// <summary>A line holding control characters (422).</summary>
    public static readonly Error ControlCharacters =
        Error.New(ErrorCodes.Invalid, "control characters are not allowed");

    /// <summary>A nickname that breaks the rules (422).</summary>
    public static readonly Error InvalidNick =
        Error.New(ErrorCodes.Invalid, $"invalid nickname: 1-{Syntax.MaxNickChars} letters, digits, _ - or .");

    /// <summary>An empty or overlong text (422).</summary>
    public static readonly Error InvalidText =
        Error.New(ErrorCodes.Invalid, $"invalid text: 1 to {Syntax.MaxTextBytes} bytes, no control characters");

    /// <summary>A value the encoder refuses to put on the wire (a field with CR, LF, NUL, or a broken nickname).</summary>
    public static Error Unencodable(string what) =>
        Error.New(ErrorCodes.Invalid, $"cannot encode {what}");

    /// <summary>A short rendering of client input for an error message: at most 32 characters, never half of one.</summary>
    private static string Printable(string s) => Syntax.Truncate(s, 32) is var cut && cut.Length < s.Length ? cut + "..." : s;
}
