using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

/// <summary>
/// The room's reducer: <c>Step(state, input) -> (state, effects)</c>. It owns every rule of the protocol's
/// state machine and does no I/O. It is total: every input in every state gives an outcome, and an input that
/// does not apply gives an error effect or nothing at all.
/// </summary>
public static partial class Room
{
    /// <summary>Applies one input to the room.</summary>
    public static Outcome Step(RoomState state, Input input)
    {
        var fx = new Effects(input.At);
        var next = input switch
        {
            Input.Opened o => Open(state, o, fx),
            Input.Received r => Receive(state, r, fx),
            Input.LoginChecked c => LoginChecked(state, c, fx),
            Input.Registered r => Registered(state, r, fx),
            Input.TokenChecked t => TokenChecked(state, t, fx),
            Input.TokenIssued t => TokenIssued(state, t, fx),
            // Pattern matches rather than Match with lambdas: a lambda capturing state and fx made every step, of
            // every input, allocate its closure.
            Input.SendQueueFull f => state.Sessions.Find(f.Id).Case is Session s ? Overflowed(state, s, fx) : state,
            Input.Closed c => state.Sessions.Find(c.Id).Case is Session s ? Remove(state, s, c.Reason, fx) : state,
            Input.Tick t => Tick(state, t.At, fx),
            Input.AccountsRemoved r => AccountsRemoved(state, r, fx),
            Input.Recovered r => Recovered(state, r, fx),
            Input.Committed c => Committed(state, c, fx),
            Input.LogFailed f => LogFailed(state, f, fx),
            Input.HistoryRead h => HistoryRead(state, h, fx),
            Input.HostSeen h => HostSeen(state, h),
            Input.Relayed r => Relayed(state, r, fx),
            Input.Shutdown => Shutdown(state, fx),
            _ => state,
        };
        return new Outcome(next, fx.ToSeq());
    }

    /// <summary>Applies inputs in order: the same as calling <see cref="Step"/> on each and keeping every effect.</summary>
    public static Outcome Run(RoomState state, IEnumerable<Input> inputs) => Fold(state, inputs, Step);

    /// <summary>Applies inputs in order with <paramref name="step"/>, keeping every effect (also <see cref="Log.InstantLog.Run"/>).</summary>
    internal static Outcome Fold(RoomState state, IEnumerable<Input> inputs, Func<RoomState, Input, Outcome> step)
    {
        var effects = new List<Effect>();
        foreach (var input in inputs)
        {
            var outcome = step(state, input);
            state = outcome.State;
            effects.AddRange(outcome.Effects);
        }
        return new Outcome(state, effects.ToSeq().Strict());
    }

    /// <summary>
    /// A line arrived. Every line is paid for first (see <see cref="Cost"/>), whatever the phase and whether it
    /// decoded or not; only a paid line is carried out or answered with its own error.
    /// </summary>
    private static RoomState Receive(RoomState state, Input.Received r, Effects fx)
    {
        if (state.Sessions.Find(r.Id).Case is not Session found || found.Leaving) return state;
        var settings = state.Settings;
        var session = Heard(found, r.At, settings);
        var charged = Charged.Accepted;
        if (settings.RateLimitEnabled && Cost(state, r.Line) is var cost and > 0)
        {
            (var bucket, charged) = session.Bucket.Charge(r.At, cost, settings.RateBurst, settings.RatePerSecond, settings.FloodAllowance);
            session = session with { Bucket = bucket };
        }
        var heard = ReferenceEquals(session, found) ? state : state with { Sessions = state.Sessions.SetItem(r.Id, session) };

        switch (charged)
        {
            case Charged.Flooding:
                fx.Log(Severity.Warning, "flooding: {Nick} ({Connection}) from {Address} kept sending past the rate limit; disconnecting, and refusing its address for {Seconds} s",
                    session.Who, session.Id.ToString(), session.Address, Str((long)settings.FloodCooldown.TotalSeconds));
                var address = heard.Addresses.Find(session.Address).IfNone(AddressRecord.Empty);
                var marked = heard with
                {
                    Addresses = heard.Addresses.AddOrUpdate(session.Address, address with { FloodedUntil = r.At + settings.FloodCooldown }),
                };
                return Expire(marked, session, Flooding, fx);
            case Charged.Refused:
                fx.Send(r.Id, TooFastError(settings));
                return heard;
        }
        // A switch rather than Match with lambdas, whose closure was allocated on entry for every line, even one
        // from a connection the room has forgotten.
        switch (r.Line.Case)
        {
            case Command command:
                return Dispatch(heard, session, command, r.At, fx);
            case LanguageExt.Common.Error error:
                fx.Send(r.Id, new ServerEvent.Error(error.Code, error.Message));
                return heard;
            default:
                return heard;
        }
    }

    /// <summary>
    /// The session after a line arrived at <paramref name="at"/>. When it was heard from recently (within an
    /// eighth of <see cref="RoomSettings.PingAfter"/>, at most a second) and no PING is outstanding, the session
    /// is returned unchanged: the keepalive needs no finer clock. (With the rate limit on, the bucket changes
    /// with every line anyway; with it off, as in the benchmarks, a busy room then does not rewrite its sessions
    /// map for every line it carries.)
    /// </summary>
    private static Session Heard(Session session, DateTimeOffset at, RoomSettings settings)
    {
        var resolution = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, settings.PingAfter.Ticks / 8));
        return session.PingSentAt.IsNone && at - session.LastHeard < resolution
            ? session
            : session with { LastHeard = at, PingSentAt = None };
    }

    /// <summary>Looks the command's verb up in <see cref="Verbs"/>: the state table's rule first, then its handler.</summary>
    private static RoomState Dispatch(RoomState state, Session session, Command command, DateTimeOffset at, Effects fx)
    {
        if (Verb.Of(command) is not { } verb) return state;
        switch (verb.RuleIn(session.Phase))
        {
            case Rule.Refuse(var code, var text):
                fx.Send(session.Id, new ServerEvent.Error(code, text));
                return state;
            case Rule.Ignore:
                return state;
        }
        return verb.Carry(state, session, command, at, fx);
    }

    private static RoomState Reply(RoomState state, Session session, ServerEvent reply, Effects fx)
    {
        fx.Send(session.Id, reply);
        return state;
    }

    /// <summary>
    /// QUIT. Before joining: BYE and close at once. A member stays one until its LEFT is committed: the log commits
    /// in order, so everything it said before is delivered first, to it too, and then it gets BYE (see
    /// <see cref="Session.Leaving"/>).
    /// </summary>
    private static RoomState Quit(RoomState state, Session session, string reason, Effects fx)
    {
        var why = reason.Length > 0 ? reason : "quit";
        if (session.Phase != Phase.InRoom)
        {
            fx.Send(session.Id, new ServerEvent.Bye("quit"));
            return Remove(state, session, why, fx);
        }
        var leaving = state with
        {
            Sessions = state.Sessions.SetItem(session.Id, session with { Leaving = true }),
            Nicks = state.Nicks.Remove(Syntax.FoldNick(session.Nick)),
            Shapes = Unshaped(state.Shapes, session),
        };
        return Append(leaving, LeftOf(state, session, Syntax.IsValidField(why) ? Syntax.TruncateReason(why) : ""), session.Id, fx);
    }

    /// <summary>A member that quit, once its LEFT is committed: BYE, and it is gone.</summary>
    private static RoomState Gone(RoomState state, Session session, Effects fx)
    {
        fx.Send(session.Id, new ServerEvent.Bye("quit"));
        fx.Add(new Effect.Close(session.Id, "quit"));
        fx.Log(Severity.Information, "disconnected {Nick} ({Connection}): {Reason}", session.Who, session.Id.ToString(), "quit");
        return Released(WithoutMember(state with { Sessions = state.Sessions.Remove(session.Id) }, session.Id), session);
    }

    private static RoomState Overflowed(RoomState state, Session session, Effects fx)
    {
        fx.Log(Severity.Warning, "send queue exceeded for {Nick} ({Connection}) from {Address}:{Port}: closing it",
            session.Who, session.Id.ToString(), session.Address, Str(session.Port));
        fx.Add(new Effect.Abandon(session.Id, new ServerEvent.Bye(SendQueueExceeded)));
        return Remove(state, session, SendQueueExceeded, fx);
    }

    /// <summary>
    /// Forgets a connection for whatever reason: asks the shell to close it (and to drop its password check if
    /// that has not started), tells the room if it was a member, and frees its nickname and its place in its
    /// address's counts. A pending check stays in <see cref="RoomState.Checks"/> until the shell answers it.
    /// </summary>
    private static RoomState Remove(RoomState state, Session session, string reason, Effects fx)
    {
        fx.Add(new Effect.Close(session.Id, reason));
        if (state.Checks.ContainsKey(session.Id)) fx.Add(new Effect.CancelCheck(session.Id));
        fx.Log(Severity.Information, "disconnected {Nick} ({Connection}): {Reason}", session.Who, session.Id.ToString(), reason);
        var next = Released(state with { Sessions = state.Sessions.Remove(session.Id) }, session);
        if (session.Leaving) return WithoutMember(next, session.Id); // its LEFT is on its way
        if (session.Phase != Phase.InRoom && !session.Joining) return next;

        // Its JOINED is committed or on its way: its LEFT follows it into the log (the log keeps the order asked).
        // The nickname is free at once; a newcomer who takes it is appended after this LEFT.
        var left = WithoutMember(next, session.Id) with
        {
            Nicks = next.Nicks.Remove(Syntax.FoldNick(session.Nick)),
            Shapes = Unshaped(next.Shapes, session),
        };
        return Append(left, LeftOf(state, session, Syntax.IsValidField(reason) ? Syntax.TruncateReason(reason) : ""), session.Id, fx);
    }

    private static RoomState Shutdown(RoomState state, Effects fx)
    {
        var everyone = new Set<OrdConnectionId, ConnectionId>(state.Sessions.Keys);
        if (!everyone.IsEmpty) fx.Add(new Effect.Broadcast(everyone, new ServerEvent.Bye(ShuttingDownReason)));
        foreach (var id in state.Sessions.Keys) fx.Add(new Effect.Close(id, ShuttingDownReason));
        foreach (var id in state.Checks.Keys) fx.Add(new Effect.CancelCheck(id));
        fx.Log(Severity.Information, "server shutting down: closing {Count} connections", Str(state.Sessions.Count));
        // The members' LEFT goes into the log, so that the history says they left (the shell waits for the log).
        var next = RoomState.Empty(state.Settings) with
        {
            Seq = state.Seq, Recent = state.Recent, Roster = state.Roster, RosterSeqs = state.RosterSeqs,
            RosterBytes = state.RosterBytes, Uncommitted = state.Uncommitted, LogDown = state.LogDown, ShuttingDown = true,
            Host = state.Host, RosterHosts = state.RosterHosts, RosterShapes = state.RosterShapes, RosterOrigins = state.RosterOrigins,
        };
        foreach (var session in state.Sessions.Values)
            if ((session.Phase == Phase.InRoom || session.Joining) && !session.Leaving)
                next = Append(next, LeftOf(state, session, ShuttingDownReason), session.Id, fx);
        return next;
    }

    private static string Str(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
