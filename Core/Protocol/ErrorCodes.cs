namespace ChatRoom.Core.Protocol;

/// <summary>
/// The numeric codes carried by <c>ERROR &lt;code&gt; &lt;text&gt;</c>. This is the one place they are defined;
/// docs/PROTOCOL.md lists the same registry and a test keeps the two in step.
/// </summary>
public static class ErrorCodes
{
    /// <summary>The line could not be parsed: unknown verb, missing parameter, or invalid UTF-8.</summary>
    public const int Malformed = 400;

    /// <summary>The command needs a logged-in session, or LOGIN lacked a nickname or password.</summary>
    public const int LogInFirst = 401;

    /// <summary>LOGIN after joining, or while a login is already being checked.</summary>
    public const int IdentityLocked = 403;

    /// <summary>WHISPER to a nickname that is not online.</summary>
    public const int NoSuchUser = 404;

    /// <summary>LOGIN with a nickname that is already online (compared case-insensitively).</summary>
    public const int NickInUse = 409;

    /// <summary>The line was longer than the framer's limit; it was dropped.</summary>
    public const int LineTooLong = 413;

    /// <summary>A nickname or text broke the rules (characters, length, emptiness).</summary>
    public const int Invalid = 422;

    /// <summary>
    /// LOGIN with a nickname that looks like (shares a confusable skeleton with) one online, or a registration
    /// of one that looks like an existing account's.
    /// </summary>
    public const int LooksLike = 423;

    /// <summary>Lines faster than the rate limit allows.</summary>
    public const int TooFast = 429;

    /// <summary>LOGIN while the server already checks as many passwords as it takes (in all, or from that address).</summary>
    public const int Busy = 503;

    /// <summary>Every code with its short meaning, in ascending order (used by the docs check).</summary>
    public static readonly IReadOnlyList<(int Code, string Meaning)> All =
    [
        (Malformed, "malformed line"),
        (LogInFirst, "log in first"),
        (IdentityLocked, "identity cannot be changed"),
        (NoSuchUser, "no such user"),
        (NickInUse, "nickname already online"),
        (LineTooLong, "line too long"),
        (Invalid, "invalid nickname or text"),
        (LooksLike, "nickname looks like another"),
        (TooFast, "too fast"),
        (Busy, "busy"),
    ];
}
