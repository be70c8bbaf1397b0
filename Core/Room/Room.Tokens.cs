using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

/// <summary>
/// Resume tokens: TOKEN (a member asks for one), RESUME (log in with one instead of the password) and FORGET
/// (revoke the one this connection holds). The room decides everything here: when a token expires, whether a
/// presented one is good, what a refusal costs. The shell draws the random bytes, keeps the hashes and looks them
/// up (<see cref="Effect.IssueToken"/>, <see cref="Effect.CheckToken"/>, <see cref="Effect.RevokeToken"/>).
/// </summary>
public static partial class Room
{
    /// <summary>
    /// RESUME in <see cref="Phase.AwaitingLogin"/>: the same cheap refusals as LOGIN, by the same function
    /// (<see cref="Refusal"/>: missing part, nickname rules, cool-down, online, look-alike online), then the shell
    /// is asked to look the token up. No cap applies: the look-up
    /// costs microseconds and never waits behind password checks, and a bad token counts as a refused login.
    /// </summary>
    private static RoomState Resume(RoomState state, Session session, Command.Resume resume, DateTimeOffset at, Effects fx)
    {
        if (Refusal(state, session, resume.Nick, !resume.Token.IsEmpty, "token", "resume", at, fx).Case is RoomState refused)
            return refused;

        fx.Add(new Effect.CheckToken(session.Id, resume.Nick, resume.Token));
        return state with
        {
            Sessions = state.Sessions.SetItem(session.Id, session with { Phase = Phase.CheckingPassword, Nick = resume.Nick }),
            Resumes = state.Resumes.AddOrUpdate(session.Id, new PendingResume(session.Address, resume.Nick, resume.Token)),
        };
    }

    /// <summary>
    /// The shell's look-up of a resume token. A token is good when the shell found it for that nickname and it
    /// has not expired at the time of the answer; anything else is refused exactly like a wrong password
    /// (<c>DENIED invalid nickname or password</c>) and counts against the address, even if the connection is gone.
    /// </summary>
    private static RoomState TokenChecked(RoomState state, Input.TokenChecked c, Effects fx)
    {
        if (state.Resumes.Find(c.Id).Case is not PendingResume pending) return state;
        var done = state with { Resumes = state.Resumes.Remove(c.Id) };
        var live = Waiting(done, c.Id);
        var found = c.Expires.IsSome && Syntax.FoldNick(c.Nick) == Syntax.FoldNick(pending.Nick);
        if (!found || c.Expires.Exists(expires => expires <= c.At))
        {
            var counted = CountFailure(done, pending.Address, pending.Nick, found ? "expired token" : "unknown token", c.At, fx);
            return live.Match(s => Denied(counted, s, fx), () => counted);
        }
        return live.Match(
            s =>
            {
                fx.Log(Severity.Debug, "resume token accepted for {Nick} ({Connection})", pending.Nick, s.Id.ToString());
                var nick = Syntax.IsValidNick(c.Nick) ? c.Nick : s.Nick;
                return Accepted(done, s with { Token = Some(pending.Token) }, nick, AuthVerdict.Accepted, c.Stamp, c.At, fx);
            },
            () => done);
    }

    /// <summary>
    /// TOKEN from a member: the shell is asked for a new token, valid for <see cref="RoomSettings.TokenLifetime"/>
    /// (to the whole second); the token this connection held is revoked with it. One at a time per connection: a
    /// TOKEN while one is being issued is ignored (the answer to the first is on its way). The token is bound to the
    /// password stamp the session logged in under, not to the account's password at the time of asking: a session
    /// that predates a <c>users passwd</c> (a thief's, say) only gets tokens that are dead on arrival.
    /// </summary>
    private static RoomState IssueToken(RoomState state, Session session, DateTimeOffset at, Effects fx)
    {
        if (session.IssuingToken) return state;
        var settings = state.Settings;
        var expires = WholeSecond(at + settings.TokenLifetime);
        fx.Add(new Effect.IssueToken(session.Id, session.Nick, expires, session.Token, Math.Max(1, settings.MaxTokensPerAccount), session.Stamp));
        return state with { Sessions = state.Sessions.SetItem(session.Id, session with { IssuingToken = true }) };
    }

    /// <summary>
    /// The shell stored a new token (or could not): the member gets <c>TOKEN &lt;token&gt; &lt;expires&gt;</c>, or
    /// <c>ERROR 503</c> to try later. A token whose connection left meanwhile is revoked at once, since nobody
    /// will ever hold it.
    /// </summary>
    private static RoomState TokenIssued(RoomState state, Input.TokenIssued i, Effects fx)
    {
        var asked = state.Sessions.Find(i.Id).Filter(s => s.Phase == Phase.InRoom && s.IssuingToken);
        if (asked.Case is not Session session)
        {
            i.Token.IfSome(token => fx.Add(new Effect.RevokeToken(i.Nick, token)));
            return state;
        }
        var next = session with { IssuingToken = false };
        if (i.Token.Case is not Secret issued)
        {
            fx.Log(Severity.Warning, "could not issue a resume token for {Nick} ({Connection}); the client is told to retry", session.Nick, session.Id.ToString());
            fx.Send(session.Id, Busy(state.Settings, "cannot issue a token now"));
            return state with { Sessions = state.Sessions.SetItem(session.Id, next) };
        }
        fx.Log(Severity.Information, "resume token issued for {Nick} ({Connection}), valid until {Until}",
            session.Nick, session.Id.ToString(), i.Expires.ToString("O"));
        fx.Send(session.Id, new ServerEvent.TokenIssued(issued, i.Expires));
        return state with { Sessions = state.Sessions.SetItem(session.Id, next with { Token = Some(issued) }) };
    }

    /// <summary>
    /// FORGET from a member: the token this connection logged in with, or was last issued, is revoked, and the
    /// answer is <c>FORGOTTEN</c> (also when it held none: the result is the same, no token of its works).
    /// </summary>
    private static RoomState Forget(RoomState state, Session session, Effects fx)
    {
        session.Token.IfSome(token => fx.Add(new Effect.RevokeToken(session.Nick, token)));
        if (session.Token.IsSome)
            fx.Log(Severity.Information, "resume token revoked by {Nick} ({Connection})", session.Nick, session.Id.ToString());
        fx.Send(session.Id, new ServerEvent.Forgotten());
        return session.Token.IsNone ? state : state with { Sessions = state.Sessions.SetItem(session.Id, session with { Token = None }) };
    }

    private static DateTimeOffset WholeSecond(DateTimeOffset t) =>
        new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
