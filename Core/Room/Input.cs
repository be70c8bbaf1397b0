using ChatRoom.Core.Log;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

/// <summary>
/// Everything that can happen to the room, as data. Each input carries the time it happened, so the reducer
/// never reads a clock. A closed hierarchy.
/// </summary>
public abstract record Input
{
    private Input(DateTimeOffset at) => At = at;

    /// <summary>When the shell observed this input.</summary>
    public DateTimeOffset At { get; }

    /// <summary>
    /// A client connected from <paramref name="Address"/>:<paramref name="Port"/>; <paramref name="Encrypted"/>
    /// when it came in on the TLS port (the handshake follows; the room sees the connection from its first byte,
    /// so its limits and login timeout cover the handshake too).
    /// </summary>
    public sealed record Opened(ConnectionId Id, string Address, int Port, DateTimeOffset At, bool Encrypted = false) : Input(At);

    /// <summary>A line arrived and was decoded: a command, or the framing or decoding error it caused.</summary>
    public sealed record Received(ConnectionId Id, Fin<Command> Line, DateTimeOffset At) : Input(At);

    /// <summary>
    /// The shell finished checking a password (off the room's thread) and reports the verdict. When accepted,
    /// <paramref name="Stamp"/> is the <see cref="PasswordHash.Stamp"/> of the hash the password matched: the
    /// session keeps it, and every token it asks for is bound to it (empty: its tokens never work).
    /// </summary>
    public sealed record LoginChecked(ConnectionId Id, string Nick, AuthVerdict Verdict, DateTimeOffset At, string Stamp = "") : Input(At);

    /// <summary>
    /// The shell finished a registration the room asked for with <see cref="Effect.Register"/>; when created,
    /// <paramref name="Stamp"/> is the new account's <see cref="PasswordHash.Stamp"/> (as in <see cref="LoginChecked"/>).
    /// </summary>
    public sealed record Registered(ConnectionId Id, string Nick, RegistrationResult Result, DateTimeOffset At, string Stamp = "") : Input(At);

    /// <summary>
    /// The connection's send queue passed its limit (a client that does not read): the shell has stopped
    /// queueing for it and waits for the room to say goodbye.
    /// </summary>
    public sealed record SendQueueFull(ConnectionId Id, DateTimeOffset At) : Input(At);

    /// <summary>The connection is gone (peer closed, I/O error, send queue overflow...), with why.</summary>
    public sealed record Closed(ConnectionId Id, string Reason, DateTimeOffset At) : Input(At);

    /// <summary>
    /// The shell looked up a resume token the room asked about with <see cref="Effect.CheckToken"/>: the account's
    /// spelling of the nickname and when the token expires, or None when that nickname holds no such token (never
    /// issued, revoked, the account is gone, or its password is no longer the one the token descends from).
    /// Whether it is still good is the room's rule. <paramref name="Stamp"/> is the password stamp the token is
    /// bound to (see <see cref="LoginChecked"/>): the resumed session keeps it.
    /// </summary>
    public sealed record TokenChecked(ConnectionId Id, string Nick, Option<DateTimeOffset> Expires, DateTimeOffset At, string Stamp = "") : Input(At);

    /// <summary>
    /// The shell carried out <see cref="Effect.IssueToken"/>: the token it drew at random and stored (only its hash
    /// is kept), or None when it could not be stored. The token's text form is <c>***</c>.
    /// </summary>
    public sealed record TokenIssued(ConnectionId Id, string Nick, Option<Secret> Token, DateTimeOffset Expires, DateTimeOffset At) : Input(At);

    /// <summary>The clock moved: time to enforce login timeouts and keepalives.</summary>
    public sealed record Tick(DateTimeOffset At) : Input(At);

    /// <summary>
    /// The shell saw these accounts disappear from the users file (<c>users remove</c>, or an edit): their
    /// members get <c>BYE account removed</c> and their nicknames are free. Nicknames as spelled; any case.
    /// </summary>
    public sealed record AccountsRemoved(Seq<string> Nicks, DateTimeOffset At) : Input(At);

    /// <summary>
    /// The room log as the server found it at start (the first input of all): its last seq, its newest entries and
    /// who it says was still in the room. A server that was killed never wrote their LEFT: the room writes it now.
    /// </summary>
    public sealed record Recovered(Recovery Log, DateTimeOffset At) : Input(At);

    /// <summary>
    /// The log committed these appends (<see cref="Effect.Append"/>), in order, with their seqs: now, and only now,
    /// the room applies and delivers them.
    /// </summary>
    public sealed record Committed(Seq<LogEntry> Entries, DateTimeOffset At) : Input(At);

    /// <summary>
    /// The log cannot commit (disk full, I/O error: <paramref name="Reason"/>). Nothing waiting is lost: the shell
    /// keeps the appends and retries, and the next <see cref="Committed"/> says it works again.
    /// </summary>
    public sealed record LogFailed(string Reason, DateTimeOffset At) : Input(At);

    /// <summary>The answer to <see cref="Effect.ReadHistory"/>: the events found, oldest first (none when the read failed).</summary>
    public sealed record HistoryRead(ConnectionId Id, Seq<LogEntry> Entries, DateTimeOffset At) : Input(At);

    /// <summary>In a cluster: another host said it is alive (its heartbeat).</summary>
    public sealed record HostSeen(string Host, DateTimeOffset At) : Input(At);

    /// <summary>In a cluster: another host relayed a whisper to a member of this one (<see cref="Effect.Relay"/>).</summary>
    public sealed record Relayed(Protocol.ServerEvent.Whisper Whisper, DateTimeOffset At) : Input(At);

    /// <summary>The server is stopping: every connection gets BYE and is closed.</summary>
    public sealed record Shutdown(DateTimeOffset At) : Input(At);
}
