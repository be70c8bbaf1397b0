using System.Text.RegularExpressions;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;

namespace ChatRoom.Core.Client;

/// <summary>
/// Everything the client remembers between two inputs. Immutable; the reducer changes it only with <c>with</c>.
/// </summary>
/// <param name="Phase">Where the client is in the protocol's state machine.</param>
/// <param name="Endpoint">"host:port", for messages that name the server.</param>
/// <param name="Nick">The nickname: as given until WELCOME, then as the server spells it.</param>
/// <param name="Password">Kept only until the login is accepted (a busy server may ask for the LOGIN again), then forgotten.</param>
/// <param name="Scripted">True when the lines come from a script: a broken <c>/wait</c> then ends the run.</param>
/// <param name="Pending">Lines typed or read but not handled yet: before WELCOME, or behind a <c>/wait</c>.</param>
/// <param name="InputEnded">End of input (or Ctrl+D) was seen: leave once <see cref="Pending"/> is done.</param>
/// <param name="Wait">The <c>/wait</c> in force, if any.</param>
/// <param name="Backlog">Texts of the events no <c>/wait</c> has used yet, oldest first (at most the newest <see cref="MaxBacklog"/>).</param>
/// <param name="QuitDeadline">Set once QUIT was sent: when the client stops waiting for BYE.</param>
/// <param name="Bucket">The client's copy of the server's rate limit for SAY and WHISPER (see <see cref="Pacing"/>).</param>
/// <param name="PaceDeadline">Set while the next SAY or WHISPER waits for the bucket to refill: when it has a token again.</param>
public sealed record ClientState(
    ClientPhase Phase,
    string Endpoint,
    string Nick,
    string Password,
    bool Scripted,
    Seq<TypedLine> Pending,
    bool InputEnded,
    Option<PendingWait> Wait,
    Seq<string> Backlog,
    Option<DateTimeOffset> QuitDeadline,
    TokenBucket Bucket,
    Option<DateTimeOffset> PaceDeadline)
{
    /// <summary>How many unused event texts a <c>/wait</c> can still look back on.</summary>
    public const int MaxBacklog = 1000;

    /// <summary>A client about to connect to <paramref name="endpoint"/> as <paramref name="nick"/>.</summary>
    public static ClientState Initial(string endpoint, string nick, string password, bool scripted) =>
        new(ClientPhase.Connecting, endpoint, nick, password, scripted, Empty, false, None, Empty, None,
            Pacing.Full(ServerLimits.Default, DateTimeOffset.MinValue), None);

    /// <summary>How many events of history a <c>/wait --history</c> can still look back on.</summary>
    public const int MaxHistoryBacklog = 1000;

    /// <summary>The protocol the server speaks to this client: 1 until it answers <c>PROTOCOL 2</c>. Lines are decoded by it.</summary>
    public int Protocol { get; init; } = Core.Protocol.ProtocolVersion.First;

    /// <summary>The limits the server announced (protocol 2), or the room's defaults.</summary>
    public ServerLimits Limits { get; init; } = ServerLimits.Default;

    /// <summary>Protocol 2: the nicknames of the USERS lines so far, shown as one list at <c>END USERS</c>.</summary>
    public Seq<string> UsersSoFar { get; init; }

    /// <summary>
    /// The newest room seq seen (protocol 2): in this run, or remembered from the last run next to the token file.
    /// History up to it is not shown again after a reconnect. 0 when none.
    /// </summary>
    public long LastSeen { get; init; }

    /// <summary>The oldest room seq seen in this run: where <c>/history</c> pages back from.</summary>
    public Option<long> OldestSeen { get; init; }

    /// <summary>The history being received, if any (see <see cref="HistoryRead"/>).</summary>
    public Option<HistoryRead> Reading { get; init; }

    /// <summary>Live room events that came while the history after joining was still being read: shown after it.</summary>
    public Seq<ServerEvent> Held { get; init; }

    /// <summary>SAYs sent whose echo (our own MESSAGE) or refusal (an ERROR) has not come yet.</summary>
    public int Unechoed { get; init; }

    /// <summary>Set when the client is to leave once every SAY is echoed (protocol 2; see ClientSession.Depart).</summary>
    public Option<Departure> Departing { get; init; }

    /// <summary>Texts of the history events shown that no <c>/wait --history</c> has used yet, oldest first.</summary>
    public Seq<string> HistoryBacklog { get; init; }

    /// <summary>When LOGIN is sent again, while a busy server (ERROR 503) asked the client to wait.</summary>
    public Option<DateTimeOffset> RetryDeadline { get; init; }

    /// <summary>A stored resume token: sent with RESUME instead of the password. Its text form is <c>***</c>.</summary>
    public Option<Secret> Token { get; init; }

    /// <summary>Ask the server for a token after a password login, and keep it (<c>--remember</c>, <c>--token-file</c>).</summary>
    public bool Remember { get; init; }

    /// <summary>True from the RESUME until the login is settled.</summary>
    public bool Resuming { get; init; }

    /// <summary>True from the TOKEN sent after a password login until its answer: lines wait, so leaving cannot lose it.</summary>
    public bool AwaitingToken { get; init; }

    /// <summary>True once <c>/logout</c> sent FORGET: the answer ends the session.</summary>
    public bool LoggingOut { get; init; }

    /// <summary>How many times the LOGIN was answered busy so far.</summary>
    public int BusyAnswers { get; init; }

    /// <summary>
    /// Reconnect when the connection drops after the client was in the room (interactive use, or <c>--reconnect</c>);
    /// the password is then kept in memory after WELCOME, to log in again when there is no token.
    /// </summary>
    public bool Reconnects { get; init; }

    /// <summary>True once the client has been in the room in this run: only then does a lost connection lead to a reconnect.</summary>
    public bool WasInRoom { get; init; }

    /// <summary>Set from the drop until the next WELCOME: which attempt this is, and when its backoff ends while it runs.</summary>
    public Option<Rejoin> Rejoining { get; init; }

    /// <summary>Set at a WELCOME after a reconnect until its history comes: that history is what was missed while away.</summary>
    public bool CatchingUp { get; init; }

    /// <summary>The state of the backoff's random draw (see <see cref="Backoff"/>); the shell seeds it.</summary>
    public ulong Seed { get; init; }

    /// <summary>How many lines were typed or read so far: the number of the last one (the first is 1).</summary>
    public int LinesRead { get; init; }

    /// <summary>The number of the line being carried out, while it is (0 otherwise): a refusal names it.</summary>
    public int CurrentLine { get; init; }

    /// <summary>Commands sent for typed lines whose answer has not come yet, oldest first: a server ERROR is put down to one of them.</summary>
    public Seq<Outstanding> Outstanding { get; init; }

    /// <summary><c>--strict</c>: a script leaves at the first line refused (by the client or the server), and exits with code 6.</summary>
    public bool Strict { get; init; }

    /// <summary>The first line refused under <c>--strict</c>, and why: the run then ends with <see cref="ExitCodes.LineRefused"/>.</summary>
    public Option<(int Line, string Why)> Refusal { get; init; }

    /// <summary>Measure the lag to the server with PINGs of its own while in the room (the full-screen status line shows it).</summary>
    public bool MeasuresLag { get; init; }

    /// <summary>The lag last measured, None before the first answer (and after a reconnect, until its first answer).</summary>
    public Option<Lag> Lag { get; init; }

    /// <summary>The lag probe sent and not answered yet, if any: at most one is in flight.</summary>
    public Option<LagProbe> Probing { get; init; }

    /// <summary>When the next lag probe is due (or the one in flight is reported as overdue).</summary>
    public Option<DateTimeOffset> ProbeDue { get; init; }

    /// <summary>How many lag probes were sent in this run: the number in the next one's token.</summary>
    public int Probes { get; init; }

    /// <summary>True once QUIT was sent.</summary>
    public bool Quitting => QuitDeadline.IsSome;

    /// <summary>
    /// The earliest deadline the client waits for, None when it waits for none (or is closed): the shell delivers
    /// <see cref="ClientInput.Tick"/> at or after it. The deadlines are the <c>/wait</c>'s, the reconnect's backoff, the
    /// pacing, the bounded wait for echoes before leaving, the end of a block of history, a busy server's retry,
    /// the BYE after QUIT and the next lag probe; each is acted on, and cleared, by the first tick at or after it.
    /// </summary>
    public Option<DateTimeOffset> NextDeadline
    {
        get
        {
            if (Phase == ClientPhase.Closed) return None;
            Option<DateTimeOffset> earliest = None;
            foreach (var deadline in Deadlines)
                if (deadline.Case is DateTimeOffset d && earliest.ForAll(e => d < e)) earliest = d;
            return earliest;
        }
    }

    /// <summary>Every deadline, set or not, in the order a tick acts on those that fall at the same time.</summary>
    internal Option<DateTimeOffset>[] Deadlines =>
    [
        Wait.Map(w => w.Deadline), Rejoining.Bind(r => r.Deadline), PaceDeadline, Departing.Map(d => d.Deadline),
        Reading.Map(r => r.Deadline), RetryDeadline, QuitDeadline, ProbeDue,
    ];

    /// <summary>Never shows the password, so a state can be logged or traced safely.</summary>
    public override string ToString() =>
        $"ClientState {{ Phase = {Phase}, Endpoint = {Endpoint}, Nick = {Nick}, Password = ***, Pending = {Pending.Count}, " +
        $"InputEnded = {InputEnded}, Waiting = {Wait.IsSome}, Paced = {PaceDeadline.IsSome}, Quitting = {Quitting} }}";
}

/// <summary>
/// A <c>/wait</c> in force: the pattern, its time limit, when it runs out, and whether history events
/// can satisfy it (<c>/wait --history</c>; by default only live events do).
/// </summary>
public sealed record PendingWait(Regex Pattern, TimeSpan Timeout, DateTimeOffset Deadline, bool History = false)
{
    /// <summary>
    /// Equal when the pattern is the same text with the same options: a <see cref="Regex"/> compares by reference, and
    /// two states reached by the same inputs must compare equal as values.
    /// </summary>
    public bool Equals(PendingWait? other) =>
        other is not null && SamePattern(Pattern, other.Pattern) && Timeout == other.Timeout && Deadline == other.Deadline && History == other.History;

    /// <summary>Hashes what <see cref="Equals(PendingWait?)"/> compares.</summary>
    public override int GetHashCode() => HashCode.Combine(Pattern.ToString(), Pattern.Options, Timeout, Deadline, History);

    internal static bool SamePattern(Regex a, Regex b) => a.ToString() == b.ToString() && a.Options == b.Options;
}

/// <summary>A line typed or read, with its number (the first is 1; 0 for one the client queued itself).</summary>
public sealed record TypedLine(int Number, string Text);

/// <summary>What kind of answer a command waits for (see <see cref="Outstanding"/>).</summary>
public enum Awaits
{
    /// <summary>SAY: its echo (our own MESSAGE), which may come after the answers to later lines (the room log commits it first).</summary>
    Echo,
    /// <summary>WHISPER: its copy to the sender.</summary>
    WhisperCopy,
    /// <summary>WHO: the user list.</summary>
    Users,
    /// <summary>HISTORY BEFORE: its END HISTORY.</summary>
    History,
    /// <summary>FORGET: FORGOTTEN.</summary>
    Forgotten,
}

/// <summary>
/// A command sent for line <paramref name="Line"/>, waiting for its answer. <paramref name="Accepted"/> is set on a
/// SAY once an answer to a later line came: the server takes lines in order, so no ERROR can be its any more, but its
/// echo is still to come.
/// </summary>
public sealed record Outstanding(int Line, Awaits Awaits, bool Accepted = false);

/// <summary>A reconnect in progress: its attempt (1 for the first) and when its backoff ends, None once the connection is being opened.</summary>
public sealed record Rejoin(int Attempt, Option<DateTimeOffset> Deadline);

/// <summary>A leave put off until the SAYs sent are echoed: the QUIT reason, and when the client stops waiting.</summary>
public sealed record Departure(string Reason, DateTimeOffset Deadline);

/// <summary>Why history is being read: what to do when its <c>END HISTORY</c> comes.</summary>
public enum HistoryPurpose
{
    /// <summary>The block a protocol 2 server sends after WELCOME; after a reconnect it may lead to <see cref="CatchUp"/>.</summary>
    Join,
    /// <summary>Paging back after a reconnect, until the last seq seen before it (bounded).</summary>
    CatchUp,
    /// <summary>An answer to <c>/history</c>.</summary>
    Page,
}

/// <summary>
/// History being received: the entries of the block in progress (<paramref name="Block"/>, oldest first), those
/// kept from earlier blocks of the same read (<paramref name="Found"/>, newer than the block), when the client
/// stops waiting for its <c>END HISTORY</c>, and how many more events catching up may still ask for.
/// </summary>
public sealed record HistoryRead(HistoryPurpose Purpose, Seq<ServerEvent> Block, Seq<ServerEvent> Found, DateTimeOffset Deadline, int Budget)
{
    /// <summary>The oldest seq received in this read, entries left out included.</summary>
    public Option<long> Oldest { get; init; }

    /// <summary>Entries up to this seq are left out (what the client saw before it reconnected); 0 leaves none out.</summary>
    public long Since { get; init; }

    /// <summary>The history after a reconnect in this run: its entries happened while the client was away, and count as news for <c>/wait</c>.</summary>
    public bool Missed { get; init; }
}
