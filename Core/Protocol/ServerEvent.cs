namespace ChatRoom.Core.Protocol;

/// <summary>
/// A line sent by the server to a client. A closed hierarchy. Optional parameters are empty strings when absent.
/// </summary>
public abstract record ServerEvent
{
    private ServerEvent() { }

    /// <summary><c>HELLO chatroom 1</c>: the first line on every connection.</summary>
    public sealed record Hello(string Product, int Version) : ServerEvent
    {
        /// <summary>The greeting this server sends.</summary>
        public static readonly Hello Current = new("chatroom", 1);
    }

    /// <summary><c>WELCOME &lt;nick&gt;</c>: the login was accepted.</summary>
    public sealed record Welcome(string Nick) : ServerEvent;

    /// <summary><c>USERS &lt;nick&gt;...</c>: who is in the room. A long list may come as several USERS lines.</summary>
    public sealed record Users(Seq<string> Nicks) : ServerEvent;

    /// <summary><c>DENIED &lt;reason&gt;</c>: the login was refused; the server closes the connection next.</summary>
    public sealed record Denied(string Reason) : ServerEvent;

    /// <summary><c>JOINED &lt;seq&gt; &lt;nick&gt;</c>: someone entered the room.</summary>
    public sealed record Joined(long Seq, string Nick) : ServerEvent;

    /// <summary><c>LEFT &lt;seq&gt; &lt;nick&gt; [reason]</c>: someone left the room.</summary>
    public sealed record Left(long Seq, string Nick, string Reason) : ServerEvent;

    /// <summary><c>MESSAGE &lt;seq&gt; &lt;nick&gt; &lt;text&gt;</c>: something was said to the room.</summary>
    public sealed record Message(long Seq, string From, string Text) : ServerEvent;

    /// <summary><c>WHISPER &lt;from&gt; &lt;to&gt; &lt;text&gt;</c>: a private message, to its target and back to its sender.</summary>
    public sealed record Whisper(string From, string To, string Text) : ServerEvent;

    /// <summary><c>PING [token]</c>: the server checks that the client is alive.</summary>
    public sealed record Ping(string Token) : ServerEvent;

    /// <summary><c>PONG [token]</c>: the answer to a client's PING.</summary>
    public sealed record Pong(string Token) : ServerEvent;

    /// <summary><c>ERROR &lt;code&gt; &lt;text&gt;</c>: a command was refused; the connection stays open.</summary>
    public sealed record Error(int Code, string Text) : ServerEvent;

    /// <summary><c>BYE &lt;reason&gt;</c>: the server is closing this connection.</summary>
    public sealed record Bye(string Reason) : ServerEvent;

    /// <summary>
    /// <c>TOKEN &lt;token&gt; &lt;expires&gt;</c>: the answer to TOKEN, a resume token and when it expires (UTC, whole
    /// seconds, written <c>2026-12-31T23:59:59Z</c>). The token's text form is <c>***</c>.
    /// </summary>
    public sealed record TokenIssued(Secret Token, DateTimeOffset Expires) : ServerEvent;

    /// <summary><c>FORGOTTEN</c>: the answer to FORGET; the token this connection held no longer works.</summary>
    public sealed record Forgotten : ServerEvent;
}
