namespace ChatRoom.Core.Client;

/// <summary>The exit codes of <c>chatroom</c>. <c>chatroom --help</c> and README.md list the same table.</summary>
public static class ExitCodes
{
    /// <summary>Left cleanly: /quit, end of input, Ctrl+D or Ctrl+C.</summary>
    public const int Ok = 0;

    /// <summary>Bad command-line options, or a missing or invalid nickname or password (nothing was sent).</summary>
    public const int Usage = 1;

    /// <summary>The server refused the login (its reason is printed).</summary>
    public const int LoginRefused = 2;

    /// <summary>The server could not be reached, or the connection was lost or closed by the server.</summary>
    public const int ConnectionFailed = 3;

    /// <summary>A <c>/wait</c> ran out of time.</summary>
    public const int WaitTimedOut = 4;

    /// <summary>
    /// The TLS server's certificate was not trusted: not the <c>--fingerprint</c> given, changed since it was trusted,
    /// or unknown and not accepted (nothing was sent, the password least of all).
    /// </summary>
    public const int Untrusted = 5;

    /// <summary>With <c>--strict</c>: a line of the script was refused, by the client or by the server (the client then left).</summary>
    public const int LineRefused = 6;

    /// <summary>Every code with its meaning, in order.</summary>
    public static readonly IReadOnlyList<(int Code, string Meaning)> All =
    [
        (Ok, "left cleanly: /quit, end of input, Ctrl+D or Ctrl+C"),
        (Usage, "usage: bad options, or nickname or password missing or invalid (nothing was sent)"),
        (LoginRefused, "login refused by the server (its reason is printed)"),
        (ConnectionFailed, "server unreachable, connection lost, or closed by the server (with --reconnect: and every attempt to come back failed)"),
        (WaitTimedOut, "a /wait timed out"),
        (Untrusted, "TLS certificate not trusted: not the --fingerprint given, changed, or unknown and not accepted (nothing was sent)"),
        (LineRefused, "with --strict: a line of the script was refused, by the client or the server (the client left at once)"),
    ];
}
