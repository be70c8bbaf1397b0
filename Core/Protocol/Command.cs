namespace ChatRoom.Core.Protocol;

/// <summary>
/// A line sent by a client to the server, after decoding. A closed hierarchy: the cases below are all there is.
/// Optional parameters are empty strings when absent, so no case ever holds a null.
/// </summary>
public abstract record Command
{
    private Command() { }

    /// <summary><c>LOGIN &lt;nick&gt; &lt;password&gt;</c>. The password is the rest of the line and may hold spaces.</summary>
    public sealed record Login(string Nick, string Password) : Command
    {
        /// <summary>Never shows the password, so a command can be logged or traced safely.</summary>
        public override string ToString() => $"Login {{ Nick = {Nick}, Password = *** }}";
    }

    /// <summary><c>SAY &lt;text&gt;</c>: say something to the whole room.</summary>
    public sealed record Say(string Text) : Command;

    /// <summary><c>WHISPER &lt;nick&gt; &lt;text&gt;</c>: a private message to one user.</summary>
    public sealed record Whisper(string To, string Text) : Command;

    /// <summary><c>WHO</c>: ask who is online.</summary>
    public sealed record Who : Command;

    /// <summary><c>PING [token]</c>: the server answers PONG with the same token.</summary>
    public sealed record Ping(string Token) : Command;

    /// <summary><c>PONG [token]</c>: the answer to a server's PING.</summary>
    public sealed record Pong(string Token) : Command;

    /// <summary><c>QUIT [reason]</c>: leave the room and close the connection.</summary>
    public sealed record Quit(string Reason) : Command;

    /// <summary><c>TOKEN</c>: a member asks for a resume token (the server answers <c>TOKEN &lt;token&gt; &lt;expires&gt;</c>).</summary>
    public sealed record AskToken : Command;

    /// <summary>
    /// <c>RESUME &lt;nick&gt; &lt;token&gt;</c>: log in with a resume token instead of the password. Either part may be
    /// empty after decoding (the room then answers 401); the token's text form is <c>***</c>.
    /// </summary>
    public sealed record Resume(string Nick, Secret Token) : Command;

    /// <summary><c>FORGET</c>: revoke the resume token this connection holds (the server answers <c>FORGOTTEN</c>).</summary>
    public sealed record Forget : Command;

    /// <summary>
    /// <c>PROTOCOL &lt;version&gt;</c>: before logging in, ask to speak another protocol; the server answers
    /// <c>PROTOCOL &lt;v&gt;</c> with the highest it speaks that is at most the one asked for.
    /// </summary>
    public sealed record Protocol(int Version) : Command;

    /// <summary>
    /// <c>HISTORY BEFORE &lt;seq&gt; &lt;count&gt;</c>: the room events before <paramref name="Before"/>, at most
    /// <paramref name="Count"/> (the server caps it), answered as HISTORY lines and <c>END HISTORY &lt;n&gt;</c>.
    /// </summary>
    public sealed record History(long Before, int Count) : Command;
}
