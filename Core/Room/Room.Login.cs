using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

public static partial class Room
{
    /// <summary>The reason given to the client for any refused password: it never tells which part was wrong.</summary>
    public const string InvalidCredentials = "invalid nickname or password";

    /// <summary>The reason given while an address is cooling down after too many refused logins.</summary>
    public const string TooManyAttempts = "too many attempts";

    private static RoomState Login(RoomState state, Session session, Command.Login login, DateTimeOffset at, Effects fx)
    {
        if (login.Nick.Length == 0 || login.Password.Length == 0)
            return Reply(state, session, new ServerEvent.Error(ErrorCodes.LogInFirst,
                "log in first: nickname and password are required"), fx);
        if (!Syntax.IsValidNick(login.Nick))
            return Reply(state, session, new ServerEvent.Error(ErrorCodes.Invalid, ProtocolErrors.InvalidNick.Message), fx);

        var address = state.Addresses.Find(session.Address).IfNone(AddressRecord.Empty);
        if (address.CooldownUntil > at)
        {
            fx.Log(Severity.Warning, "login refused: {Nick} from {Address}: {Reason}; authentication failed, server terminates the connection", login.Nick, session.Address, TooManyAttempts);
            fx.Send(session.Id, new ServerEvent.Denied(TooManyAttempts));
            return Remove(state, session, "login refused", fx);
        }
        if (state.Nicks.ContainsKey(Syntax.FoldNick(login.Nick)))
            return Reply(state, session, NickInUse(login.Nick), fx);

        fx.Add(new Effect.CheckPassword(session.Id, login.Nick, login.Password));
        return state with
        {
            Sessions = state.Sessions.SetItem(session.Id, session with { Phase = Phase.CheckingPassword, Nick = login.Nick }),
        };
    }

    private static RoomState LoginChecked(RoomState state, Input.LoginChecked c, Effects fx)
    {
        if (state.Sessions.Find(c.Id).Case is not Session session) return state;
        if (session.Phase != Phase.CheckingPassword || Syntax.FoldNick(session.Nick) != Syntax.FoldNick(c.Nick))
            return state;

        if (c.Verdict is not (AuthVerdict.Accepted or AuthVerdict.Registered))
            return Refused(state, session, c, fx);

        if (state.Nicks.ContainsKey(Syntax.FoldNick(session.Nick)))
        {
            // Someone else logged in with this nick while the password was being checked.
            fx.Send(session.Id, NickInUse(session.Nick));
            return state with
            {
                Sessions = state.Sessions.SetItem(session.Id, session with { Phase = Phase.AwaitingLogin, Nick = "" }),
            };
        }
        // The verdict carries the account's own spelling of the nickname: that is the one the room shows.
        var named = Syntax.IsValidNick(c.Nick) ? session with { Nick = c.Nick } : session;
        return Admit(state, named, c, fx);
    }

    private static RoomState Admit(RoomState state, Session session, Input.LoginChecked c, Effects fx)
    {
        var others = state.Members;
        var seq = state.Seq + 1;
        var member = session with
        {
            Phase = Phase.InRoom,
            Bucket = TokenBucket.Full(state.Settings.RateBurst, c.At),
        };
        var next = state with
        {
            Sessions = state.Sessions.SetItem(session.Id, member),
            Members = others.Add(session.Id),
            Nicks = state.Nicks.Add(Syntax.FoldNick(session.Nick), session.Id),
            Seq = seq,
        };

        fx.Log(Severity.Information,
            c.Verdict == AuthVerdict.Registered
                ? "login accepted: {Nick} ({Connection}) connected successfully, new account registered"
                : "login accepted: {Nick} ({Connection}) connected successfully",
            session.Nick, session.Id.ToString());
        fx.Send(session.Id, new ServerEvent.Welcome(session.Nick));
        SendUsers(next, session.Id, fx);
        if (!others.IsEmpty) fx.Add(new Effect.Broadcast(others, new ServerEvent.Joined(seq, session.Nick)));
        return next;
    }

    private static RoomState Refused(RoomState state, Session session, Input.LoginChecked c, Effects fx)
    {
        var settings = state.Settings;
        var address = state.Addresses.Find(session.Address).IfNone(AddressRecord.Empty);
        var failures = address.Failures.Filter(t => c.At - t < settings.FailureWindow).Add(c.At);
        var cooling = failures.Count >= settings.MaxFailedLogins;
        var updated = address with
        {
            Failures = cooling ? LanguageExt.Seq<DateTimeOffset>.Empty : failures.Strict(),
            CooldownUntil = cooling ? c.At + settings.Cooldown : address.CooldownUntil,
        };
        var next = state with { Addresses = state.Addresses.AddOrUpdate(session.Address, updated) };

        fx.Log(Severity.Warning, "login refused: {Nick} from {Address}: {Reason}; authentication failed, server terminates the connection",
            session.Nick, session.Address, c.Verdict == AuthVerdict.UnknownUser ? "unknown user" : "wrong password");
        if (cooling)
            fx.Log(Severity.Warning, "too many refused logins from {Address}: refusing its logins until {Until}",
                session.Address, updated.CooldownUntil.ToString("O"));
        fx.Send(session.Id, new ServerEvent.Denied(InvalidCredentials));
        return Remove(next, session, "login refused", fx);
    }

    private static ServerEvent NickInUse(string nick) =>
        new ServerEvent.Error(ErrorCodes.NickInUse, $"nickname already online: {nick}");
}
