using System.Text.RegularExpressions;
using ChatRoom.Core.Protocol;
using LanguageExt.Common;

namespace ChatRoom.Core.Client;

/// <summary>
/// The client's reducer: <c>Step(state, input) -> (state, effects)</c>. It owns the client's half of the
/// protocol state machine (connecting, awaiting login, in the room, closed), decides every exit code, and does
/// no I/O. It is total: every input in every phase gives an outcome, and an input that does not apply gives
/// nothing at all. Lines typed before WELCOME, or behind a <c>/wait</c>, are kept in order and handled later.
/// </summary>
public static partial class ClientSession
{
    /// <summary>The highest protocol this client speaks: 3 adds PRESENCE lines in large rooms (docs/PROTOCOL.md section 15).</summary>
    public const int Speaks = 3;

    /// <summary>How many <c>ERROR 503 busy</c> answers to LOGIN the client waits out before it gives up.</summary>
    public const int MaxBusyAnswers = 5;

    /// <summary>The wait a busy answer asks for ("busy, retry in 2 s"), between 1 and 30 s; 2 s if it names none.</summary>
    public static TimeSpan RetryAfter(string text)
    {
        var match = Regex.Match(text, @"retry in (\d{1,3}) s");
        var seconds = match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 2;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 30));
    }

    /// <summary>How long the client waits for BYE after sending QUIT.</summary>
    public static readonly TimeSpan ByeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Applies one input.</summary>
    public static ClientOutcome Step(ClientState state, ClientInput input)
    {
        if (state.Phase == ClientPhase.Closed) return new ClientOutcome(state, Empty);
        var fx = new List<ClientEffect>(2);
        var next = input switch
        {
            ClientInput.ServerLine s => s.Event.Match(
                Succ: e => OnEvent(state, e, s.At, fx),
                Fail: error => Unreadable(state, error, fx)),
            ClientInput.UserLine u => Drain(Typed(state, u.Text, fx), u.At, fx),
            ClientInput.InputEnded e => Drain(state with { InputEnded = true }, e.At, fx),
            ClientInput.Interrupted i => Interrupt(state, i.At, fx),
            ClientInput.ConnectFailed c when state.Rejoining.IsSome => Reconnect(state, c.Reason, c.At, fx),
            ClientInput.ConnectFailed c =>
                Exit(state, ExitCodes.ConnectionFailed, $"cannot connect to {state.Endpoint}: {c.Reason}", fx),
            ClientInput.Untrusted u =>
                Exit(state, ExitCodes.Untrusted, $"not connecting to {state.Endpoint}: {u.Reason}", fx),
            ClientInput.Disconnected d => state.Quitting ? Left(state, "", fx)
                // Waiting out a backoff: this is the end of the connection already given up.
                : state.Rejoining.Exists(r => r.Deadline.IsSome) ? state
                : MayReconnect(state) ? Reconnect(state, d.Reason, d.At, fx)
                : Exit(state, ExitCodes.ConnectionFailed, $"connection to {state.Endpoint} lost: {d.Reason}", fx),
            ClientInput.Tick t => Ticked(state, t.At, fx),
            _ => state,
        };
        return new ClientOutcome(next, fx.Count == 0 ? Empty : fx.ToSeq().Strict());
    }

    /// <summary>Applies inputs in order, keeping every effect: the same as calling <see cref="Step"/> on each.</summary>
    public static ClientOutcome Run(ClientState state, IEnumerable<ClientInput> inputs)
    {
        var effects = new List<ClientEffect>();
        foreach (var input in inputs)
        {
            var outcome = Step(state, input);
            state = outcome.State;
            effects.AddRange(outcome.Effects);
        }
        return new ClientOutcome(state, effects.ToSeq().Strict());
    }

    private static ClientState OnEvent(ClientState state, ServerEvent e, DateTimeOffset at, List<ClientEffect> fx)
    {
        switch (e)
        {
            case ServerEvent.Hello hello when state.Phase == ClientPhase.Connecting:
                return Greeted(state, hello, fx);

            case ServerEvent.ProtocolSet set when state.Phase == ClientPhase.AwaitingLogin:
                return state with { Protocol = set.Version };

            case ServerEvent.Welcome welcome when state.Phase == ClientPhase.AwaitingLogin:
                // After a password login, a client asked to remember the login asks for a token before anything else,
                // and holds its lines until the answer (a QUIT first would leave the token unclaimed).
                var asks = state.Remember && !state.Resuming;
                if (asks) fx.Add(new ClientEffect.Send(new Command.AskToken()));
                if (state.Rejoining.IsSome) fx.Add(new ClientEffect.Notice($"reconnected to {state.Endpoint}"));
                // A client that reconnects keeps the password in memory, to log in again when it has no token.
                var joined = state with
                {
                    Phase = ClientPhase.InRoom, Nick = welcome.Nick, Password = state.Reconnects ? state.Password : "", RetryDeadline = None,
                    Resuming = false, AwaitingToken = asks, WasInRoom = true, CatchingUp = state.Rejoining.IsSome, Rejoining = None,
                };
                return Drain(Shown(StartLag(joined, at, fx), e, at, fx), at, fx);

            // Coming back with a token that was revoked meanwhile: it is deleted, and the password held in memory takes over.
            case ServerEvent.Denied denied when state.Resuming && denied.Reason == Room.Room.InvalidCredentials
                                               && state.Rejoining.IsSome && state.Password.Length > 0:
                fx.Add(new ClientEffect.ForgetToken());
                fx.Add(new ClientEffect.Notice($"the stored login token was refused ({denied.Reason}); logging in with the password"));
                return Reconnect(state with { Token = None }, "the token was refused", at, fx);

            // A refused token is deleted and the password takes over; "too many attempts" did not look at it, so it stays.
            case ServerEvent.Denied denied when state.Resuming && denied.Reason == Room.Room.InvalidCredentials:
                fx.Add(new ClientEffect.ForgetToken());
                fx.Add(new ClientEffect.FallBack($"the stored login token was refused ({denied.Reason}); logging in with the password"));
                return state with { Phase = ClientPhase.Closed, Pending = Empty, Wait = None, PaceDeadline = None, Resuming = false };

            // Kept in the state too: a reconnect in this run comes back with it.
            case ServerEvent.TokenIssued issued when state.Phase == ClientPhase.InRoom:
                fx.Add(new ClientEffect.SaveToken(issued.Token, issued.Expires));
                return Drain(state with { AwaitingToken = false, Token = issued.Token }, at, fx);

            // No token today (ERROR 503, or a server without TOKEN): the client goes on without one.
            case ServerEvent.Error when state.AwaitingToken && state.Phase == ClientPhase.InRoom:
                return Drain(Shown(state, e, at, fx) with { AwaitingToken = false }, at, fx);

            // A server that does not know FORGET (or cannot do it) answers with an error: the stored token is deleted anyway.
            case ServerEvent.Error when state.LoggingOut && state.Phase == ClientPhase.InRoom:
                fx.Add(new ClientEffect.ForgetToken());
                return Leave(Shown(state, e, at, fx) with { LoggingOut = false, Remember = false, Token = None }, "", at, fx);

            case ServerEvent.Forgotten when state.Phase == ClientPhase.InRoom:
                fx.Add(new ClientEffect.ForgetToken());
                var forgotten = Settled(state, Awaits.Forgotten) with { Remember = false, Token = None };
                if (!state.LoggingOut) return forgotten;
                fx.Add(new ClientEffect.Notice("logged out: the login token is revoked and deleted"));
                return Leave(forgotten with { LoggingOut = false }, "", at, fx);

            case ServerEvent.Denied denied:
                return Exit(state, ExitCodes.LoginRefused, $"login refused: {denied.Reason}", fx);

            // A server busy checking other logins says when to try again: the client does, a few times.
            case ServerEvent.Error { Code: ErrorCodes.Busy } busy when state.Phase == ClientPhase.AwaitingLogin && state.BusyAnswers < MaxBusyAnswers:
                var after = RetryAfter(busy.Text);
                fx.Add(new ClientEffect.Notice($"the server is busy ({busy.Text}); logging in again in {after.TotalSeconds:0} s"));
                return state with { RetryDeadline = at + after, BusyAnswers = state.BusyAnswers + 1 };

            // Back too soon after a drop the server has not noticed yet: the old connection still holds the nickname.
            case ServerEvent.Error { Code: ErrorCodes.NickInUse } when state.Rejoining.IsSome && state.Phase == ClientPhase.AwaitingLogin:
                return Reconnect(state, "the server still holds the old connection", at, fx);

            // Before WELCOME an ERROR can only answer our LOGIN (401 empty, 409 already online, 422 invalid nick, 423 looks like another, 503 busy).
            case ServerEvent.Error error when state.Phase != ClientPhase.InRoom:
                return Exit(state, ExitCodes.LoginRefused, $"login refused: {error.Text}", fx);

            case ServerEvent.Ping ping:
                fx.Add(new ClientEffect.Send(new Command.Pong(ping.Token)));
                return state;

            case ServerEvent.Pong pong when AnswersProbe(state, pong):
                return ProbeAnswered(state, at);

            case ServerEvent.Bye bye when !state.Quitting && MayReconnect(state) && !IsFinal(bye.Reason):
                return Reconnect(Shown(state, e, at, fx), bye.Reason.Length == 0 ? "the server said BYE" : bye.Reason, at, fx);

            case ServerEvent.Bye bye:
                var shown = Shown(state, e, at, fx);
                return state.Quitting
                    ? Left(shown, "", fx)
                    : Exit(shown, ExitCodes.ConnectionFailed,
                        $"the server at {state.Endpoint} closed the connection: {(bye.Reason.Length == 0 ? "no reason given" : bye.Reason)}", fx);

            // Protocol 2: the USERS lines of one answer are shown as one list once END USERS says it is complete.
            case ServerEvent.Users users when state.Protocol >= 2:
                return state with { UsersSoFar = Concatenated(state.UsersSoFar, users.Nicks) };

            case ServerEvent.End { What: "USERS" } when state.Protocol >= 2:
                return Drain(Shown(Settled(state, Awaits.Users) with { UsersSoFar = Empty }, new ServerEvent.Users(state.UsersSoFar), at, fx), at, fx);

            case ServerEvent.History history when state.Phase == ClientPhase.InRoom && state.Protocol >= 2:
                return OnHistory(state, history, at, fx);

            case ServerEvent.End { What: "HISTORY" } end when state.Phase == ClientPhase.InRoom:
                var answered = state.Reading.Exists(r => r.Purpose == HistoryPurpose.Page) ? Settled(state, Awaits.History) : state;
                return Drain(OnHistoryEnd(answered, end.Count, at, fx), at, fx);

            // An ERROR in the room answers one of the lines sent: the oldest still waiting that it can belong to.
            case ServerEvent.Error error when state.Phase == ClientPhase.InRoom:
                var (attributed, line, awaited) = Attribute(state, error.Code);
                // One SAY fewer awaits its echo when the error is that SAY's (or cannot be put down to any line).
                var echoed = awaited.Exists(a => a == Awaits.Echo) || line == 0 && attributed.Unechoed > 0
                    ? attributed with { Unechoed = attributed.Unechoed - 1 }
                    : attributed;
                return Drain(RefusedLine(echoed, Explained(error), ErrorSource.Server, line, at, fx), at, fx);

            // Protocol 3: a PRESENCE line is its JOINED and LEFT events, one by one (see Unpacked).
            case ServerEvent.Presence presence when state.Phase == ClientPhase.InRoom:
                foreach (var change in Unpacked(presence, state.Nick)) state = OnEvent(state, change, at, fx);
                return state;

            case ServerEvent.Joined or ServerEvent.Left or ServerEvent.Message when HoldsLive(state) && state.Held.Count < MaxHeld:
                return state with { Held = state.Held.Add(e) };

            case ServerEvent.Hello or ServerEvent.Welcome or ServerEvent.Pong or ServerEvent.ProtocolSet or ServerEvent.End or ServerEvent.History
                or ServerEvent.Presence:
                return state;

            default:
                return Drain(Shown(Answered(Echoed(state, e), e), e, at, fx), at, fx);
        }
    }

    /// <summary>
    /// HELLO. A chatroom server of protocol 2 or later is asked for the highest protocol both speak, 2 or 3 (its
    /// answer may come after the LOGIN, which is sent at once), and its limits are used from now on; any other
    /// greeting is answered in protocol 1, as before protocol 2 existed.
    /// </summary>
    private static ClientState Greeted(ClientState state, ServerEvent.Hello hello, List<ClientEffect> fx)
    {
        var speaks2 = hello.Product == "chatroom" && hello.Version >= 2;
        if (hello.Product != "chatroom" || hello.Version < 1)
            fx.Add(new ClientEffect.Notice(
                $"the server speaks {hello.Product} {hello.Version}; this client speaks chatroom 1 to {Speaks}, trying anyway"));
        var limits = speaks2 ? ServerLimits.From(hello) : ServerLimits.Default;
        var greeted = state with { Limits = limits, Bucket = Pacing.Full(limits, DateTimeOffset.MinValue) };
        if (speaks2) fx.Add(new ClientEffect.Send(new Command.Protocol(Math.Min(hello.Version, Speaks))));
        if (state.Token.Case is Secret token)
        {
            fx.Add(new ClientEffect.Send(new Command.Resume(state.Nick, token)));
            return greeted with { Phase = ClientPhase.AwaitingLogin, Resuming = true };
        }
        fx.Add(new ClientEffect.Send(new Command.Login(state.Nick, state.Password)));
        return greeted with { Phase = ClientPhase.AwaitingLogin };
    }

    /// <summary>
    /// The changes of a PRESENCE line as the JOINED and LEFT events they stand for, entries first, each with the
    /// line's seq (the only one sent) and no reason or time: so they are shown, matched by <c>/wait</c>, held behind
    /// history and counted as seen exactly as protocol 2's lines are. A <c>+</c> for the client itself is left
    /// out: it is never news to itself (the server may send it to a newcomer whose USERS list had it).
    /// </summary>
    private static IEnumerable<ServerEvent> Unpacked(ServerEvent.Presence presence, string me)
    {
        foreach (var nick in presence.Entered)
            if (Syntax.FoldNick(nick) != Syntax.FoldNick(me)) yield return new ServerEvent.Joined(presence.Seq, nick);
        foreach (var nick in presence.Gone) yield return new ServerEvent.Left(presence.Seq, nick, "");
    }

    /// <summary>One SAY fewer awaits its answer when our own MESSAGE comes back (an ERROR is counted where it is attributed).</summary>
    private static ClientState Echoed(ClientState state, ServerEvent e) =>
        state.Unechoed > 0 && e is ServerEvent.Message m && Syntax.FoldNick(m.From) == Syntax.FoldNick(state.Nick)
            ? state with { Unechoed = state.Unechoed - 1 }
            : state;

    /// <summary>Our own MESSAGE and WHISPER, and a protocol 1 USERS, answer the oldest command waiting for them.</summary>
    private static ClientState Answered(ClientState state, ServerEvent e) => e switch
    {
        ServerEvent.Message m when Syntax.FoldNick(m.From) == Syntax.FoldNick(state.Nick) => Removed(state, Awaits.Echo),
        ServerEvent.Whisper w when Syntax.FoldNick(w.From) == Syntax.FoldNick(state.Nick) => Settled(state, Awaits.WhisperCopy),
        ServerEvent.Users when state.Protocol < 2 => Settled(state, Awaits.Users),
        _ => state,
    };

    /// <summary>The oldest command waiting for <paramref name="awaits"/> is answered.</summary>
    private static ClientState Removed(ClientState state, Awaits awaits)
    {
        var index = state.Outstanding.ToList().FindIndex(o => o.Awaits == awaits);
        return index < 0 ? state : state with { Outstanding = state.Outstanding.Where((_, i) => i != index).ToSeq().Strict() };
    }

    /// <summary>
    /// The oldest command waiting for <paramref name="awaits"/> is answered, and every SAY sent before it is known to
    /// be accepted: the server takes lines in order, so an ERROR for one of them would have come first.
    /// </summary>
    private static ClientState Settled(ClientState state, Awaits awaits)
    {
        var index = state.Outstanding.ToList().FindIndex(o => o.Awaits == awaits);
        if (index < 0) return state;
        return state with
        {
            Outstanding = state.Outstanding
                .Select((o, i) => i < index && o.Awaits == Awaits.Echo ? o with { Accepted = true } : o)
                .Where((_, i) => i != index).ToSeq().Strict(),
        };
    }

    /// <summary>
    /// Which line an ERROR answers: the oldest command still waiting that can get this code (404 only a WHISPER, 503
    /// a SAY or a HISTORY, any other code any command), and not a SAY already known to be accepted. That command is
    /// answered. Line 0 when none fits.
    /// </summary>
    private static (ClientState State, int Line, Option<Awaits> Awaits) Attribute(ClientState state, int code)
    {
        bool Fits(Outstanding o) => !o.Accepted && code switch
        {
            ErrorCodes.NoSuchUser => o.Awaits == Awaits.WhisperCopy,
            ErrorCodes.Busy => o.Awaits is Awaits.Echo or Awaits.History,
            _ => true,
        };
        var index = state.Outstanding.ToList().FindIndex(Fits);
        if (index < 0) return (state, 0, None);
        var found = state.Outstanding[index];
        return (state with { Outstanding = state.Outstanding.Where((_, i) => i != index).ToSeq().Strict() }, found.Line, found.Awaits);
    }

    /// <summary>
    /// The server answers a WHISPER to anyone not in the room with <c>ERROR 404 no such user: nick</c>, whether or not
    /// such an account exists (it would be an oracle of the accounts otherwise), so the client says only what is known.
    /// </summary>
    private static ServerEvent.Error Explained(ServerEvent.Error error)
    {
        const string prefix = "no such user: ";
        if (error.Code != ErrorCodes.NoSuchUser) return error;
        var nick = error.Text.StartsWith(prefix, StringComparison.Ordinal) ? error.Text[prefix.Length..] : "";
        return error with { Text = nick.Length > 0 ? $"{nick} is not in the room" : "that user is not in the room" };
    }

    /// <summary>
    /// Shows a live event; it satisfies the <c>/wait</c> in force, or is kept for a later one. In protocol 2 a
    /// room event's seq is remembered: the newest for the next reconnect, the oldest for <c>/history</c>.
    /// </summary>
    private static ClientState Shown(ClientState state, ServerEvent e, DateTimeOffset at, List<ClientEffect> fx,
        ErrorSource source = ErrorSource.Server, int line = 0)
    {
        fx.Add(new ClientEffect.Show(e, state.Nick, at) { Source = source, Line = line });
        var seen = state.Protocol >= 2 && SeqOf(e) is var seq and > 0
            ? state with { LastSeen = Math.Max(state.LastSeen, seq), OldestSeen = Math.Min(seq, state.OldestSeen.IfNone(long.MaxValue)) }
            : state;
        return EventText.Of(e, state.Nick).Match(
            None: () => seen,
            Some: text => seen.Wait.Exists(wait => Matches(wait.Pattern, text))
                ? seen with { Wait = None }
                : seen with { Backlog = Keep(seen.Backlog.Add(text)) });
    }

    /// <summary>A line typed or read is kept in order; while reconnecting, a person is told it waits.</summary>
    private static ClientState Typed(ClientState state, string text, List<ClientEffect> fx)
    {
        if (state.Rejoining.IsSome && !state.Scripted && text.Length > 0)
            fx.Add(new ClientEffect.Notice("not connected: the line is sent once the client is back in the room"));
        var number = state.LinesRead + 1;
        return state with { Pending = state.Pending.Add(new TypedLine(number, text)), LinesRead = number };
    }

    private static ClientState Unreadable(ClientState state, Error error, List<ClientEffect> fx)
    {
        fx.Add(new ClientEffect.Notice($"ignored an unreadable line from the server: {error.Message}"));
        return state;
    }

    private static ClientState Interrupt(ClientState state, DateTimeOffset at, List<ClientEffect> fx) =>
        state.Phase == ClientPhase.Connecting || state.Quitting
            ? Left(state, "", fx)
            : Leave(state, "", at, fx);

    /// <summary>Most deadlines one tick acts on: each is cleared when acted on and any it sets lies after the tick, so this only guards.</summary>
    private const int MaxDeadlinesPerTick = 16;

    /// <summary>
    /// The clock reached <paramref name="now"/>: the deadlines due are acted on one at a time, earliest first (those
    /// at the same time in the order of <see cref="ClientState.Deadlines"/>), each seeing what the one before did.
    /// </summary>
    private static ClientState Ticked(ClientState state, DateTimeOffset now, List<ClientEffect> fx)
    {
        for (var i = 0; i < MaxDeadlinesPerTick && state.NextDeadline.Case is DateTimeOffset due && due <= now; i++)
            state = Expired(state, due, now, fx);
        return state;
    }

    /// <summary>Acts on the deadline that falls at <paramref name="due"/>, and clears it.</summary>
    private static ClientState Expired(ClientState state, DateTimeOffset due, DateTimeOffset now, List<ClientEffect> fx)
    {
        if (state.Wait.Case is PendingWait wait && wait.Deadline == due)
            return Exit(state, ExitCodes.WaitTimedOut,
                $"/wait timed out after {wait.Timeout.TotalSeconds:0.###} s: no event matched /{wait.Pattern}/", fx);
        if (state.Rejoining.Case is Rejoin rejoin && rejoin.Deadline.Exists(d => d == due))
        {
            fx.Add(new ClientEffect.Connect());
            return state with { Rejoining = rejoin with { Deadline = None } };
        }
        if (state.PaceDeadline.Exists(d => d == due)) return Drain(state with { PaceDeadline = None }, now, fx);
        if (state.Departing.Case is Departure departure && departure.Deadline == due)
            return state.Quitting ? state with { Departing = None } : Leave(state, departure.Reason, now, fx);
        if (state.Reading.Case is HistoryRead reading && reading.Deadline == due) return Drain(HistoryTimedOut(state, reading, now, fx), now, fx);
        if (state.RetryDeadline.Exists(d => d == due))
        {
            if (state.Phase == ClientPhase.AwaitingLogin) fx.Add(new ClientEffect.Send(new Command.Login(state.Nick, state.Password)));
            return state with { RetryDeadline = None };
        }
        if (state.QuitDeadline.Exists(d => d == due))
            return Left(state, $"no BYE from {state.Endpoint} within {ByeTimeout.TotalSeconds:0} s; left anyway", fx);
        return state.ProbeDue.Exists(d => d == due) ? LagDue(state, now, fx) : state;
    }

    /// <summary>Sends QUIT and waits (until <see cref="ByeTimeout"/> from now) for the server's BYE; a leave put off is now done.</summary>
    private static ClientState Leave(ClientState state, string reason, DateTimeOffset at, List<ClientEffect> fx)
    {
        var quit = Syntax.IsValidField(reason) ? reason : "";
        fx.Add(new ClientEffect.Send(new Command.Quit(quit)));
        return state with { QuitDeadline = at + ByeTimeout, Departing = None };
    }

    /// <summary>Ends a session that left as asked: code 0, or <see cref="ExitCodes.LineRefused"/> when <c>--strict</c> saw a line refused.</summary>
    private static ClientState Left(ClientState state, string message, List<ClientEffect> fx) =>
        state.Refusal.Case is (int line, string why)
            ? Exit(state, ExitCodes.LineRefused, $"line {line} was refused (--strict): {why}", fx)
            : Exit(state, ExitCodes.Ok, message, fx);

    /// <summary>Ends the session; a client that keeps a token keeps the newest seq it saw with it (protocol 2).</summary>
    private static ClientState Exit(ClientState state, int code, string message, List<ClientEffect> fx)
    {
        if (state.Protocol >= 2 && state.LastSeen > 0 && (state.Remember || state.Token.IsSome))
            fx.Add(new ClientEffect.SaveLastSeen(state.LastSeen));
        fx.Add(new ClientEffect.Exit(code, message));
        return state with { Phase = ClientPhase.Closed, Pending = Empty, Wait = None, PaceDeadline = None, Password = "" };
    }

    private static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static Seq<string> Keep(Seq<string> backlog) =>
        backlog.Count > ClientState.MaxBacklog ? backlog.Skip(backlog.Count - ClientState.MaxBacklog).ToSeq().Strict() : backlog;

    private static readonly Room.Rule LoginInRoom = Room.StateTable.For(Room.Phase.InRoom, "LOGIN");
}
