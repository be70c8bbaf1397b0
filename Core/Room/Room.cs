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
        var fx = new Effects();
        var next = input switch
        {
            Input.Opened o => Open(state, o, fx),
            Input.Received r => Receive(state, r, fx),
            Input.LoginChecked c => LoginChecked(state, c, fx),
            Input.Closed c => state.Sessions.Find(c.Id).Match(s => Remove(state, s, c.Reason, fx), () => state),
            Input.Tick t => Tick(state, t.At, fx),
            Input.Shutdown s => Shutdown(state, fx),
            _ => state,
        };
        return new Outcome(next, fx.ToSeq());
    }

    /// <summary>Applies inputs in order: the same as calling <see cref="Step"/> on each and keeping every effect.</summary>
    public static Outcome Run(RoomState state, IEnumerable<Input> inputs)
    {
        var effects = new List<Effect>();
        foreach (var input in inputs)
        {
            var outcome = Step(state, input);
            state = outcome.State;
            effects.AddRange(outcome.Effects);
        }
        return new Outcome(state, effects.ToSeq().Strict());
    }

    private static RoomState Open(RoomState state, Input.Opened o, Effects fx)
    {
        if (state.Sessions.ContainsKey(o.Id)) return state;
        var address = state.Addresses.Find(o.Address).IfNone(AddressRecord.Empty);
        var settings = state.Settings;
        if (state.Sessions.Count >= settings.MaxConnections || address.Connections >= settings.MaxConnectionsPerAddress)
        {
            fx.Log(Severity.Warning, "refused connection from {Address}:{Port}: server full", o.Address, Str(o.Port));
            fx.Send(o.Id, new ServerEvent.Bye("server full"));
            fx.Add(new Effect.Close(o.Id, "server full"));
            return state;
        }

        var session = new Session(o.Id, o.Address, o.Port, Phase.AwaitingLogin, "", o.At, o.At, None,
            TokenBucket.Full(settings.RateBurst, o.At));
        fx.Log(Severity.Information, "connection request from {Address}:{Port} ({Connection})",
            o.Address, Str(o.Port), o.Id.ToString());
        fx.Send(o.Id, ServerEvent.Hello.Current);
        return state with
        {
            Sessions = state.Sessions.Add(o.Id, session),
            Addresses = state.Addresses.AddOrUpdate(o.Address, address with { Connections = address.Connections + 1 }),
        };
    }

    private static RoomState Receive(RoomState state, Input.Received r, Effects fx) =>
        state.Sessions.Find(r.Id).Match(
            None: () => state,
            Some: found =>
            {
                var session = Heard(found, r.At, state.Settings);
                var heard = ReferenceEquals(session, found)
                    ? state
                    : state with { Sessions = state.Sessions.SetItem(r.Id, session) };
                return r.Line.Match(
                    Succ: command => Dispatch(heard, session, command, r.At, fx),
                    Fail: error =>
                    {
                        fx.Send(r.Id, new ServerEvent.Error(error.Code, error.Message));
                        return heard;
                    });
            });

    /// <summary>
    /// The session after a line arrived at <paramref name="at"/>. When it was heard from recently (within an
    /// eighth of <see cref="RoomSettings.PingAfter"/>, at most a second) and no PING is outstanding, the session
    /// is returned unchanged: the keepalive needs no finer clock, and a busy room then does not rewrite its
    /// sessions map for every line it carries.
    /// </summary>
    private static Session Heard(Session session, DateTimeOffset at, RoomSettings settings)
    {
        var resolution = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, settings.PingAfter.Ticks / 8));
        return session.PingSentAt.IsNone && at - session.LastHeard < resolution
            ? session
            : session with { LastHeard = at, PingSentAt = None };
    }

    private static RoomState Dispatch(RoomState state, Session session, Command command, DateTimeOffset at, Effects fx)
    {
        switch (StateTable.For(session.Phase, StateTable.VerbOf(command)))
        {
            case Rule.Refuse(var code, var text):
                fx.Send(session.Id, new ServerEvent.Error(code, text));
                return state;
            case Rule.Ignore:
                return state;
        }

        return command switch
        {
            Command.Login login => Login(state, session, login, at, fx),
            Command.Say say => Say(state, session, say.Text, at, fx),
            Command.Whisper whisper => Whisper(state, session, whisper, at, fx),
            Command.Who => Who(state, session, fx),
            Command.Ping ping => Reply(state, session, new ServerEvent.Pong(ping.Token), fx),
            Command.Pong => state,
            Command.Quit quit => Quit(state, session, quit.Reason, fx),
            _ => state,
        };
    }

    private static RoomState Reply(RoomState state, Session session, ServerEvent reply, Effects fx)
    {
        fx.Send(session.Id, reply);
        return state;
    }

    private static RoomState Quit(RoomState state, Session session, string reason, Effects fx)
    {
        fx.Send(session.Id, new ServerEvent.Bye("quit"));
        return Remove(state, session, reason.Length > 0 ? reason : "quit", fx);
    }

    /// <summary>
    /// Forgets a connection for whatever reason: asks the shell to close it, tells the room if it was a member,
    /// and frees its nickname and its place in its address's count.
    /// </summary>
    private static RoomState Remove(RoomState state, Session session, string reason, Effects fx)
    {
        fx.Add(new Effect.Close(session.Id, reason));
        var next = state with
        {
            Sessions = state.Sessions.Remove(session.Id),
            Addresses = state.Addresses.Find(session.Address).Match(
                a => a.Connections <= 1 && a.Failures.IsEmpty && a.CooldownUntil == DateTimeOffset.MinValue
                    ? state.Addresses.Remove(session.Address)
                    : state.Addresses.SetItem(session.Address, a with { Connections = Math.Max(0, a.Connections - 1) }),
                () => state.Addresses),
        };
        fx.Log(Severity.Information, "disconnected {Nick} ({Connection}): {Reason}", session.Who, session.Id.ToString(), reason);
        if (session.Phase != Phase.InRoom) return next;

        var members = next.Members.Remove(session.Id);
        var seq = next.Seq + 1;
        if (!members.IsEmpty)
            fx.Add(new Effect.Broadcast(members, new ServerEvent.Left(seq, session.Nick, Syntax.IsValidField(reason) ? Syntax.TruncateReason(reason) : "")));
        return next with { Members = members, Nicks = next.Nicks.Remove(Syntax.FoldNick(session.Nick)), Seq = seq };
    }

    private static RoomState Shutdown(RoomState state, Effects fx)
    {
        var everyone = toSet(state.Sessions.Keys);
        if (!everyone.IsEmpty) fx.Add(new Effect.Broadcast(everyone, new ServerEvent.Bye("server shutting down")));
        foreach (var id in state.Sessions.Keys) fx.Add(new Effect.Close(id, "server shutting down"));
        fx.Log(Severity.Information, "server shutting down: closing {Count} connections", Str(state.Sessions.Count));
        return state with { Sessions = default, Members = default, Nicks = default, Addresses = default };
    }

    private static string Str(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
