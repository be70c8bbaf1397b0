using ChatRoom.Core.Log;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

/// <summary>How important a log entry is; the shell maps it onto its logging framework.</summary>
public enum Severity
{
    /// <summary>Routine detail.</summary>
    Debug,
    /// <summary>A normal event worth a line: a connection, a login, a disconnect.</summary>
    Information,
    /// <summary>Something refused or limited: a failed login, a full server.</summary>
    Warning,
}

/// <summary>
/// What the reducer asks the shell to do, as data. The shell carries effects out in the order given.
/// A closed hierarchy.
/// </summary>
public abstract record Effect
{
    private Effect() { }

    /// <summary>Queue one event for one connection.</summary>
    public sealed record Send(ConnectionId To, ServerEvent Event) : Effect;

    /// <summary>
    /// Queue one event for every connection in <paramref name="To"/>. One effect however many members there are:
    /// the set is the room's own immutable set, so emitting it costs the reducer O(1); the shell encodes once.
    /// When <paramref name="CanWait"/> is true (presence: JOINED and LEFT), the shell may hold the line back for a
    /// short while (Limits:PresenceDelayMilliseconds) so that a storm of joins leaves in a few large writes
    /// instead of one write per join per member; any line that cannot wait takes it along, so the order each
    /// connection sees never changes.
    /// </summary>
    public sealed record Broadcast(Set<OrdConnectionId, ConnectionId> To, ServerEvent Event, bool CanWait = false) : Effect;

    /// <summary>Close a connection once its queued output has been written.</summary>
    public sealed record Close(ConnectionId Id, string Reason) : Effect;

    /// <summary>
    /// Check a password, off the room's thread, and answer with <see cref="Input.LoginChecked"/>.
    /// Its text form never shows the password.
    /// </summary>
    public sealed record CheckPassword(ConnectionId Id, string Nick, string Password) : Effect
    {
        /// <inheritdoc />
        public override string ToString() => $"CheckPassword {{ Id = {Id}, Nick = {Nick}, Password = *** }}";
    }

    /// <summary>
    /// Create the account <paramref name="Nick"/> with <paramref name="Password"/> (open registration), off the
    /// room's thread, and answer with <see cref="Input.Registered"/>. Its text form never shows the password.
    /// </summary>
    public sealed record Register(ConnectionId Id, string Nick, string Password) : Effect
    {
        /// <inheritdoc />
        public override string ToString() => $"Register {{ Id = {Id}, Nick = {Nick}, Password = *** }}";
    }

    /// <summary>
    /// Look up a resume token for <paramref name="Nick"/> and answer with <see cref="Input.TokenChecked"/>. This is
    /// the fast path: a hash and a table look-up, never queued behind password checks. Its text form hides the token.
    /// </summary>
    public sealed record CheckToken(ConnectionId Id, string Nick, Secret Token) : Effect;

    /// <summary>
    /// Draw a new resume token for <paramref name="Nick"/>, valid until <paramref name="Expires"/>, store its hash,
    /// and answer with <see cref="Input.TokenIssued"/>. <paramref name="Replaces"/> (the token the connection held)
    /// is revoked with it; the account keeps at most <paramref name="KeepPerAccount"/> tokens, the oldest go first.
    /// The token is bound to <paramref name="Stamp"/>, the password stamp the session logged in under (never the
    /// account's current one): it works only while that is still the account's password.
    /// </summary>
    public sealed record IssueToken(ConnectionId Id, string Nick, DateTimeOffset Expires, Option<Secret> Replaces, int KeepPerAccount, string Stamp) : Effect;

    /// <summary>Revoke one resume token of <paramref name="Nick"/>: from now on it is refused. Its text form hides the token.</summary>
    public sealed record RevokeToken(string Nick, Secret Token) : Effect;

    /// <summary>
    /// The check or registration for this connection is no longer wanted: if it has not started, drop it and
    /// answer <see cref="Input.LoginChecked"/> with <see cref="Auth.AuthVerdict.Skipped"/>.
    /// </summary>
    public sealed record CancelCheck(ConnectionId Id) : Effect;

    /// <summary>From now on, frame this connection's lines up to <paramref name="Bytes"/>, terminator included.</summary>
    public sealed record LineLimit(ConnectionId Id, int Bytes) : Effect;

    /// <summary>
    /// Throw away everything queued for this connection, send <paramref name="Last"/> alone, and close: for a
    /// client whose send queue is beyond saving.
    /// </summary>
    public sealed record Abandon(ConnectionId Id, ServerEvent Last) : Effect;

    /// <summary>
    /// Append a room event to the room log (the log gives it its seq) and answer with <see cref="Input.Committed"/>,
    /// or <see cref="Input.LogFailed"/> while it cannot. Appends are committed in the order they are asked for;
    /// nothing of the event is delivered to anyone before it is committed.
    /// </summary>
    public sealed record Append(Draft Draft) : Effect;

    /// <summary>
    /// Read at most <paramref name="Count"/> committed events with a seq below <paramref name="Before"/> from the
    /// room log, off the room's thread, and answer with <see cref="Input.HistoryRead"/>.
    /// </summary>
    public sealed record ReadHistory(ConnectionId Id, long Before, int Count) : Effect;

    /// <summary>
    /// In a cluster: carry this whisper to the host <paramref name="Host"/>, whose member it is for (at most once;
    /// that host delivers it as <see cref="Input.Relayed"/>).
    /// </summary>
    public sealed record Relay(string Host, Protocol.ServerEvent.Whisper Whisper) : Effect;

    /// <summary>From the next line on, encode this connection's lines as protocol <paramref name="Version"/> writes them.</summary>
    public sealed record UseProtocol(ConnectionId Id, int Version) : Effect;

    /// <summary>
    /// Write a structured log entry: <paramref name="Template"/> uses named holes ({Nick}) filled from
    /// <paramref name="Args"/> in order, in the style of Microsoft.Extensions.Logging.
    /// </summary>
    public sealed record Log(Severity Level, string Template, Seq<string> Args) : Effect;
}
