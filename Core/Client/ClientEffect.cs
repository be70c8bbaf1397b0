using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Client;

/// <summary>Who raised an error: the server (an ERROR line) or the client (a line it refused without sending it).</summary>
public enum ErrorSource
{
    /// <summary>The server sent an ERROR (or DENIED).</summary>
    Server,
    /// <summary>The client refused the line itself, before sending anything.</summary>
    Client,
}

/// <summary>What the reducer asks the shell to do, as data, in order. A closed hierarchy.</summary>
public abstract record ClientEffect
{
    private ClientEffect() { }

    /// <summary>Encode the command and write it to the server. Its text form never shows a password.</summary>
    public sealed record Send(Command Command) : ClientEffect
    {
        /// <summary>The command's own text form, which writes <c>***</c> for a password or a token.</summary>
        public override string ToString() => $"Send {{ {Command} }}";
    }

    /// <summary>
    /// Show an event: a transcript line for people, a JSON object for scripts. <paramref name="Me"/> is the
    /// client's own nickname, so a whisper can say "you". Local refusals are shown as <see cref="ServerEvent.Error"/>
    /// with the code the server would have used.
    /// </summary>
    public sealed record Show(ServerEvent Event, string Me, DateTimeOffset At) : ClientEffect
    {
        /// <summary>True for an event from the room's history (protocol 2), shown apart from live ones.</summary>
        public bool History { get; init; }

        /// <summary>A history event that happened while the connection was down in this run: news, though it came as history.</summary>
        public bool Missed { get; init; }

        /// <summary>For an ERROR: whether the server sent it or the client refused the line itself.</summary>
        public ErrorSource Source { get; init; } = ErrorSource.Server;

        /// <summary>For an ERROR: the number of the input line it refused (the first is 1), or 0 when none is known.</summary>
        public int Line { get; init; }
    }

    /// <summary>
    /// A line of the transcript that is no event: the separators around a block of history (<c>— earlier —</c>,
    /// <c>— now —</c>). Not part of the --json stream, whose history events carry <c>"history":true</c> instead.
    /// </summary>
    public sealed record Separator(string Text) : ClientEffect;

    /// <summary>Keep the newest room seq seen next to the stored token, so the next run shows only what it missed.</summary>
    public sealed record SaveLastSeen(long Seq) : ClientEffect;

    /// <summary>Information for the person (help, warnings); a diagnostic (standard error) in --json mode.</summary>
    public sealed record Notice(string Text) : ClientEffect;

    /// <summary>Keep this resume token for the next run (its text form is <c>***</c>).</summary>
    public sealed record SaveToken(Secret Token, DateTimeOffset Expires) : ClientEffect;

    /// <summary>Delete the stored resume token: it was refused, or revoked with <c>/logout</c>.</summary>
    public sealed record ForgetToken : ClientEffect;

    /// <summary>
    /// The stored token was refused: close the connection and log in again with the password (asked for now
    /// if it was not given). Ends this session like <see cref="Exit"/>.
    /// </summary>
    public sealed record FallBack(string Reason) : ClientEffect;

    /// <summary>Close the current connection (it dropped or is about to): nothing it still delivers counts.</summary>
    public sealed record CloseConnection : ClientEffect;

    /// <summary>Open a new connection to the server, as at the start; it answers with HELLO, or ConnectFailed.</summary>
    public sealed record Connect : ClientEffect;

    /// <summary>Close the connection and end the program with <paramref name="Code"/>; print the message if not empty.</summary>
    public sealed record Exit(int Code, string Message) : ClientEffect;
}
