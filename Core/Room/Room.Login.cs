using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

public static partial class Room
{
    /// <summary>The reason given to the client for any refused password: it never tells which part was wrong.</summary>
    public const string InvalidCredentials = "invalid nickname or password";

    /// <summary>The reason given while an address is cooling down after too many refused logins.</summary>
    public const string TooManyAttempts = "too many attempts";

    /// <summary>
    /// LOGIN in <see cref="Phase.AwaitingLogin"/>. The cheap refusals come first; then admission control: a
    /// check is only started while fewer than <see cref="RoomSettings.MaxChecksInFlight"/> are pending in all
    /// and fewer than <see cref="RoomSettings.MaxChecksPerAddress"/> from this address, else the answer is an
    /// immediate <c>ERROR 503 busy</c> and the connection may try again later. So one address's backlog is at
    /// most its own cap, and nobody waits silently behind a queue of unknown length.
    /// </summary>
    private static RoomState Login(RoomState state, Session session, Command.Login login, DateTimeOffset at, Effects fx)
    {
        if (Refusal(state, session, login.Nick, login.Password.Length > 0, "password", "login", at, fx).Case is RoomState refused)
            return refused;

        var settings = state.Settings;
        var fromAddress = state.Checks.Values.Count(c => c.Address == session.Address);
        if (state.Checks.Count >= settings.MaxChecksInFlight || fromAddress >= settings.MaxChecksPerAddress)
        {
            fx.Log(Severity.Debug, "login busy: {Nick} from {Address}: {Pending} password checks pending, {FromAddress} from there",
                login.Nick, session.Address, Str(state.Checks.Count), Str(fromAddress));
            return Reply(state, session, Busy(settings, "busy"), fx);
        }

        fx.Add(new Effect.CheckPassword(session.Id, login.Nick, login.Password));
        return state with
        {
            Sessions = state.Sessions.SetItem(session.Id, session with { Phase = Phase.CheckingPassword, Nick = login.Nick }),
            Checks = state.Checks.AddOrUpdate(session.Id, new PendingCheck(session.Address, login.Nick, login.Password, false, 1)),
        };
    }

    /// <summary>
    /// The cheap refusals that LOGIN and RESUME share, in this order: a missing nickname or
    /// <paramref name="secretName"/>, a nickname the syntax or the nickname rules (<see cref="Names.NickProfile"/>)
    /// refuse, the address cooling down (DENIED, closed), the nickname online, a look-alike online. None when none
    /// applies. One function for both verbs, so that a way in can never skip a rule the other has.
    /// </summary>
    private static Option<RoomState> Refusal(RoomState state, Session session, string nick, bool secretGiven, string secretName,
        string verb, DateTimeOffset at, Effects fx)
    {
        if (nick.Length == 0 || !secretGiven)
            return Reply(state, session, new ServerEvent.Error(ErrorCodes.LogInFirst,
                $"log in first: nickname and {secretName} are required"), fx);
        if (!Syntax.IsValidNick(nick))
            return Reply(state, session, new ServerEvent.Error(ErrorCodes.Invalid, ProtocolErrors.InvalidNick.Message), fx);
        if (Names.NickProfile.Refusal(nick).Case is string why)
            return Reply(state, session, new ServerEvent.Error(ErrorCodes.Invalid, $"invalid nickname: {why}"), fx);

        var address = state.Addresses.Find(session.Address).IfNone(AddressRecord.Empty);
        if (address.CooldownUntil > at)
        {
            fx.Log(Severity.Warning, verb + " refused: {Nick} from {Address}: {Reason}; authentication failed, server terminates the connection",
                nick, session.Address, TooManyAttempts);
            fx.Send(session.Id, new ServerEvent.Denied(TooManyAttempts));
            return Remove(state, session, "login refused", fx);
        }
        if (Taken(state, nick))
            return Reply(state, session, NickInUse(nick), fx);
        if (LookAlikeOnline(state, Names.Lookalike.Keys(nick)).Case is string twin)
            return Reply(state, session, LooksLikeMember(nick, twin), fx);
        return None;
    }

    /// <summary>
    /// The shell's verdict on a pending check. It frees the check's place, whether or not the connection is
    /// still there; a refusal counts against the address either way, so closing the connection early does
    /// not dodge the throttle. An unknown nickname becomes a registration when registration is open.
    /// </summary>
    private static RoomState LoginChecked(RoomState state, Input.LoginChecked c, Effects fx)
    {
        if (state.Checks.Find(c.Id).Case is not PendingCheck pending) return state;
        var done = state with { Checks = state.Checks.Remove(c.Id) };
        // A job dropped before it ran frees its place, whether it was a check or a registration.
        if (c.Verdict == AuthVerdict.Skipped) return done;
        if (pending.Registering || Syntax.FoldNick(pending.Nick) != Syntax.FoldNick(c.Nick)) return state;
        var live = Waiting(state, c.Id);

        switch (c.Verdict)
        {
            case AuthVerdict.UnknownUser when state.Settings.OpenRegistration && live.IsSome:
                fx.Add(new Effect.Register(c.Id, pending.Nick, pending.Password));
                return state with { Checks = state.Checks.SetItem(c.Id, pending with { Registering = true }) };
            case AuthVerdict.UnknownUser or AuthVerdict.WrongPassword:
                var counted = CountFailure(done, pending.Address, pending.Nick, c.Verdict, c.At, fx);
                return live.Match(s => Denied(counted, s, fx), () => counted);
            default:
                // The verdict carries the account's own spelling of the nickname: that is the one the room shows.
                return live.Match(s => Accepted(done, s, Syntax.IsValidNick(c.Nick) ? c.Nick : s.Nick, c.Verdict, c.Stamp, c.At, fx), () => done);
        }
    }

    /// <summary>
    /// The shell's answer to a registration. If someone registered the nickname first, the password is
    /// checked once more against that account (a second registration race is answered busy).
    /// </summary>
    private static RoomState Registered(RoomState state, Input.Registered r, Effects fx)
    {
        if (state.Checks.Find(r.Id).Case is not PendingCheck { Registering: true } pending) return state;
        var done = state with { Checks = state.Checks.Remove(r.Id) };
        var live = Waiting(state, r.Id);
        if (live.Case is not Session session) return done;

        switch (r.Result)
        {
            case RegistrationResult.Created:
                return Accepted(done, session, pending.Nick, AuthVerdict.Registered, r.Stamp, r.At, fx);
            case RegistrationResult.LooksLike:
                // Counted like a refused login, so that probing for look-alikes costs the address its allowance,
                // but the connection stays: an honest newcomer just picks another name.
                return Reply(Backed(CountFailure(done, pending.Address, pending.Nick,
                        "looks like an existing account; the connection may try another nickname", r.At, fx, closes: false), session),
                    session, new ServerEvent.Error(ErrorCodes.LooksLike, $"nickname looks like an existing account's, choose another: {pending.Nick}"), fx);
            case RegistrationResult.Exists when pending.Attempt < 2:
                fx.Log(Severity.Information, "registration of {Nick} raced another; checking the password against that account", pending.Nick);
                fx.Add(new Effect.CheckPassword(r.Id, pending.Nick, pending.Password));
                return state with { Checks = state.Checks.SetItem(r.Id, pending with { Registering = false, Attempt = pending.Attempt + 1 }) };
            default:
                fx.Log(Severity.Warning, "registration of {Nick} failed ({Result}); the client is told to retry", pending.Nick, r.Result.ToString());
                return Reply(Backed(done, session), session, Busy(state.Settings, "cannot register now"), fx);
        }
    }

    /// <summary>The connection, if it is still open and still waiting for its check.</summary>
    private static Option<Session> Waiting(RoomState state, ConnectionId id) =>
        state.Sessions.Find(id).Filter(s => s.Phase == Phase.CheckingPassword);

    /// <summary>Back to <see cref="Phase.AwaitingLogin"/>: the connection may send another LOGIN.</summary>
    private static RoomState Backed(RoomState state, Session session) =>
        state with { Sessions = state.Sessions.SetItem(session.Id, session with { Phase = Phase.AwaitingLogin, Nick = "" }) };

    /// <summary>Admits a connection whose login was accepted, under the password stamp <paramref name="stamp"/>.</summary>
    private static RoomState Accepted(RoomState state, Session session, string nick, AuthVerdict verdict, string stamp, DateTimeOffset at, Effects fx)
    {
        if (Taken(state, session.Nick))
        {
            // Someone else logged in with this nick while the password was being checked (here or on another host).
            fx.Send(session.Id, NickInUse(session.Nick));
            return Backed(state, session);
        }
        var keys = Names.Lookalike.Keys(nick);
        if (LookAlikeOnline(state, keys).Case is string twin)
        {
            fx.Send(session.Id, LooksLikeMember(nick, twin));
            return Backed(state, session);
        }
        // A JOINED that cannot be written now would wait, and pile up with every retry: the user is told to retry.
        if (state.LogDown.IsSome || state.Uncommitted >= state.Settings.MaxUncommitted)
        {
            fx.Send(session.Id, Busy(state.Settings, "the room log is unavailable"));
            return Backed(state, session);
        }
        return Admit(state, session with { Nick = nick, Stamp = stamp }, keys, verdict, at, fx);
    }

    /// <summary>
    /// The login is accepted: the nickname is the session's from now on, and its JOINED is appended to the log. The
    /// session enters the room (WELCOME, USERS, history) when the log commits that JOINED (<see cref="Entered"/>).
    /// </summary>
    private static RoomState Admit(RoomState state, Session session, (string, string) keys, AuthVerdict verdict, DateTimeOffset at, Effects fx)
    {
        var joining = session with { Joining = true };
        var next = Joined(state, session) with
        {
            Sessions = state.Sessions.SetItem(session.Id, joining),
            Nicks = state.Nicks.Add(Syntax.FoldNick(session.Nick), session.Id),
            Shapes = Shaped(state.Shapes, keys, session.Id),
        };

        fx.Log(Severity.Information,
            verdict == AuthVerdict.Registered
                ? "login accepted: {Nick} ({Connection}) connected successfully, new account registered"
                : "login accepted: {Nick} ({Connection}) connected successfully",
            session.Nick, session.Id.ToString());
        // Before WELCOME leaves: the member's next lines may be as long as the protocol allows.
        fx.Add(new Effect.LineLimit(session.Id, state.Settings.MaxLineBytes));
        return Append(next, new ChatRoom.Core.Log.RoomEvent.Joined(session.Nick), session.Id, fx);
    }

    /// <summary>
    /// Counts a refused login against its address; the count that reaches <see cref="RoomSettings.MaxFailedLogins"/>
    /// within <see cref="RoomSettings.FailureWindow"/> starts the cool-down.
    /// </summary>
    private static RoomState CountFailure(RoomState state, string from, string nick, AuthVerdict verdict, DateTimeOffset at, Effects fx) =>
        CountFailure(state, from, nick, verdict == AuthVerdict.UnknownUser ? "unknown user" : "wrong password", at, fx);

    /// <summary>
    /// The same, for any refusal that counts (a bad resume token too); <paramref name="reason"/> is for the log, and
    /// <paramref name="closes"/> says whether the connection is put out (a look-alike nickname only gets an error).
    /// </summary>
    private static RoomState CountFailure(RoomState state, string from, string nick, string reason, DateTimeOffset at, Effects fx,
        bool closes = true)
    {
        var settings = state.Settings;
        var address = state.Addresses.Find(from).IfNone(AddressRecord.Empty);
        var failures = address.Failures.Filter(t => at - t < settings.FailureWindow).Add(at);
        var cooling = failures.Count >= settings.MaxFailedLogins;
        var updated = address with
        {
            Failures = cooling ? LanguageExt.Seq<DateTimeOffset>.Empty : failures.Strict(),
            CooldownUntil = cooling ? at + settings.Cooldown : address.CooldownUntil,
        };
        if (closes)
            fx.Log(Severity.Warning, "login refused: {Nick} from {Address}: {Reason}; authentication failed, server terminates the connection",
                nick, from, reason);
        else
            fx.Log(Severity.Warning, "login refused: {Nick} from {Address}: {Reason}", nick, from, reason);
        if (cooling)
            fx.Log(Severity.Warning, "too many refused logins from {Address}: refusing its logins until {Until}",
                from, updated.CooldownUntil.ToString("O"));
        return state with { Addresses = state.Addresses.AddOrUpdate(from, updated) };
    }

    private static RoomState Denied(RoomState state, Session session, Effects fx)
    {
        fx.Send(session.Id, new ServerEvent.Denied(InvalidCredentials));
        return Remove(state, session, "login refused", fx);
    }

    private static ServerEvent Busy(RoomSettings settings, string what) =>
        new ServerEvent.Error(ErrorCodes.Busy, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{what}, retry in {Math.Max(1, (int)Math.Ceiling(settings.BusyRetry.TotalSeconds))} s"));

    private static ServerEvent NickInUse(string nick) =>
        new ServerEvent.Error(ErrorCodes.NickInUse, $"nickname already online: {nick}");
}
