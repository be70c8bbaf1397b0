using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

public static partial class Room
{
    /// <summary>The token the server puts in its keepalive PING.</summary>
    public const string KeepaliveToken = "keepalive";

    /// <summary>
    /// Enforces the clock's rules on every connection: the login timeout, then the keepalive (PING after
    /// <see cref="RoomSettings.PingAfter"/> of silence, BYE after <see cref="RoomSettings.PingTimeout"/> more); and
    /// in a large room, the presence changes gathered since the last PRESENCE line go out.
    /// </summary>
    private static RoomState Tick(RoomState state, DateTimeOffset now, Effects fx)
    {
        var settings = state.Settings;
        var next = Flushed(state, fx);
        foreach (var session in state.Sessions.Values)
        {
            if (session.Phase != Phase.InRoom && now - session.OpenedAt >= settings.LoginTimeout)
            {
                next = Expire(next, session, "login timeout", fx);
            }
            else if (session.PingSentAt.Case is DateTimeOffset sent)
            {
                if (now - sent >= settings.PingTimeout) next = Expire(next, session, "ping timeout", fx);
            }
            else if (now - session.LastHeard >= settings.PingAfter)
            {
                fx.Send(session.Id, new ServerEvent.Ping(KeepaliveToken));
                next = next with { Sessions = next.Sessions.SetItem(session.Id, session with { PingSentAt = now }) };
            }
        }
        return Prune(HostsHeard(next, now, fx), now);
    }

    /// <summary>
    /// Forgets addresses with no open connection whose refused logins have aged out of the window and whose
    /// cool-down is over, so the table cannot grow without bound.
    /// </summary>
    private static RoomState Prune(RoomState state, DateTimeOffset now)
    {
        var window = state.Settings.FailureWindow;
        var stale = state.Addresses.Filter(a => a.IsIdle(now, window));
        return stale.IsEmpty ? state : state with { Addresses = state.Addresses.RemoveRange(stale.Keys) };
    }

    private static RoomState Expire(RoomState state, Session session, string reason, Effects fx)
    {
        fx.Send(session.Id, new ServerEvent.Bye(reason));
        return Remove(state, session, reason, fx);
    }
}
