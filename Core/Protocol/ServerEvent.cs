namespace ChatRoom.Core.Protocol;

/// <summary>
/// A line sent by the server to a client. A closed hierarchy. Optional parameters are empty strings when absent.
/// </summary>
public abstract record ServerEvent
{
    private ServerEvent() { }

    /// <summary>
    /// <c>HELLO chatroom 3 [name=value]...</c>: the first line on every connection, with the highest protocol the
    /// server speaks and the limits a client needs to pace itself (<see cref="Limits"/>; in protocol 1 there were none).
    /// </summary>
    public sealed record Hello(string Product, int Version) : ServerEvent
    {
        /// <summary>The limits announced, in order (<c>line=4096 text=2048 burst=20 rate=10 history=50</c>).</summary>
        public Seq<Limit> Limits { get; init; }

        /// <summary>The product and highest protocol this server speaks, without limits.</summary>
        public static readonly Hello Current = new("chatroom", ProtocolVersion.Highest);

        /// <summary>The value of the limit <paramref name="name"/>, if announced.</summary>
        public Option<string> Limit(string name) => Limits.Find(l => l.Name == name).Map(l => l.Value);
    }

    /// <summary><c>PROTOCOL &lt;version&gt;</c>: the answer to a client's PROTOCOL; from the next line on, the connection speaks it.</summary>
    public sealed record ProtocolSet(int Version) : ServerEvent;

    /// <summary>
    /// <c>HISTORY &lt;event&gt;</c> (protocol 2): a room event from before, a JOINED, LEFT or MESSAGE written as in
    /// protocol 2 (with its seq and original time): shown to a late joiner, or an answer to the HISTORY command.
    /// </summary>
    public sealed record History(ServerEvent Event) : ServerEvent;

    /// <summary>
    /// <c>END &lt;what&gt; &lt;count&gt;</c> (protocol 2): the list <paramref name="What"/> (<c>USERS</c> or
    /// <c>HISTORY</c>) is complete, with how many entries it had.
    /// </summary>
    public sealed record End(string What, long Count) : ServerEvent;

    /// <summary><c>WELCOME &lt;nick&gt;</c>: the login was accepted.</summary>
    public sealed record Welcome(string Nick) : ServerEvent;

    /// <summary><c>USERS &lt;nick&gt;...</c>: who is in the room. A long list may come as several USERS lines.</summary>
    public sealed record Users(Seq<string> Nicks) : ServerEvent;

    /// <summary><c>DENIED &lt;reason&gt;</c>: the login was refused; the server closes the connection next.</summary>
    public sealed record Denied(string Reason) : ServerEvent;

    /// <summary><c>JOINED &lt;seq&gt; &lt;nick&gt;</c> (protocol 2: <c>JOINED &lt;seq&gt; &lt;time&gt; &lt;nick&gt;</c>): someone entered the room.</summary>
    public sealed record Joined(long Seq, string Nick) : ServerEvent
    {
        /// <summary>The server's time of the event (protocol 2 writes it after the seq).</summary>
        public DateTimeOffset At { get; init; }
    }

    /// <summary><c>LEFT &lt;seq&gt; &lt;nick&gt; [reason]</c> (protocol 2: <c>LEFT &lt;seq&gt; &lt;time&gt; &lt;nick&gt; [reason]</c>): someone left the room.</summary>
    public sealed record Left(long Seq, string Nick, string Reason) : ServerEvent
    {
        /// <summary>The server's time of the event (protocol 2 writes it after the seq).</summary>
        public DateTimeOffset At { get; init; }
    }

    /// <summary><c>MESSAGE &lt;seq&gt; &lt;nick&gt; &lt;text&gt;</c> (protocol 2: <c>MESSAGE &lt;seq&gt; &lt;time&gt; &lt;nick&gt; &lt;text&gt;</c>): something was said to the room.</summary>
    public sealed record Message(long Seq, string From, string Text) : ServerEvent
    {
        /// <summary>The server's time of the event (protocol 2 writes it after the seq).</summary>
        public DateTimeOffset At { get; init; }
    }

    /// <summary>
    /// <c>PRESENCE &lt;seq&gt; +nick... -nick...</c> (protocol 3, in a large room): who entered (<paramref name="Entered"/>)
    /// and who left (<paramref name="Gone"/>) since the last presence line, up to the event <paramref name="Seq"/>, in
    /// place of their JOINED and LEFT lines. A nick is in one list at most (its last change wins), so applying the lists
    /// to any list of who is there that is already up to date with some of the changes gives the right list.
    /// </summary>
    public sealed record Presence(long Seq, Seq<string> Entered, Seq<string> Gone) : ServerEvent;

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

/// <summary>One limit announced by HELLO: <c>name=value</c>, both words without spaces or <c>=</c> in the name.</summary>
public sealed record Limit(string Name, string Value);
