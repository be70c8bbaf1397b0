using System.Text;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

public static partial class Room
{
    /// <summary>
    /// SAY: the message is appended to the log and delivered to everyone when it is committed. While the log
    /// cannot commit, or is as far behind as <see cref="RoomSettings.MaxUncommitted"/> allows, it is refused with
    /// ERROR 503 instead: never accepted and then lost.
    /// </summary>
    private static RoomState Say(RoomState state, Session session, string text, Effects fx)
    {
        if (state.LogDown.IsSome) return Reply(state, session, new ServerEvent.Error(ErrorCodes.Busy, LogUnavailable), fx);
        if (state.Uncommitted >= state.Settings.MaxUncommitted) return Reply(state, session, Busy(state.Settings, "the room log is behind"), fx);
        return Append(state, new ChatRoom.Core.Log.RoomEvent.Message(session.Nick, text), session.Id, fx);
    }

    private static RoomState Whisper(RoomState state, Session session, Command.Whisper whisper, Effects fx)
    {
        // Only a member: a nickname taken by a login whose JOINED is not committed yet is nobody to whisper to.
        if (state.Nicks.Find(Syntax.FoldNick(whisper.To)).Bind(state.Sessions.Find).Case is not Session { Phase: Phase.InRoom } target)
        {
            // In a cluster the member may be on another host: the whisper is relayed there, at most once.
            if (RelayHost(state, whisper.To).Case is not string host)
                return Reply(state, session, new ServerEvent.Error(ErrorCodes.NoSuchUser, $"no such user: {whisper.To}"), fx);
            if (state.LogDown.IsSome) return Reply(state, session, new ServerEvent.Error(ErrorCodes.Busy, LogUnavailable), fx);
            var to = state.RosterSeqs.Find(Syntax.FoldNick(whisper.To)).Bind(state.Roster.Find).IfNone(whisper.To);
            var relayed = new ServerEvent.Whisper(session.Nick, to, whisper.Text);
            fx.Add(new Effect.Relay(host, relayed));
            fx.Send(session.Id, relayed);
            return state;
        }

        var message = new ServerEvent.Whisper(session.Nick, target.Nick, whisper.Text);
        fx.Send(target.Id, message);
        if (target.Id != session.Id) fx.Send(session.Id, message);
        return state;
    }

    private static RoomState Who(RoomState state, Session session, Effects fx)
    {
        SendUsers(state, session, fx);
        return state;
    }

    /// <summary>
    /// Sends the member list as USERS lines, splitting it so that no line is longer than the line limit; in
    /// protocol 2 followed by <c>END USERS &lt;count&gt;</c>.
    /// </summary>
    private static void SendUsers(RoomState state, Session session, Effects fx)
    {
        var to = session.Id;
        var budget = state.Settings.MaxLineBytes - "USERS\n".Length;
        var chunk = new List<string>();
        var used = 0;
        foreach (var nick in state.Roster.Values)
        {
            var size = 1 + Encoding.UTF8.GetByteCount(nick);
            if (chunk.Count > 0 && used + size > budget)
            {
                fx.Send(to, new ServerEvent.Users(chunk.ToSeq().Strict()));
                chunk.Clear();
                used = 0;
            }
            chunk.Add(nick);
            used += size;
        }
        fx.Send(to, new ServerEvent.Users(chunk.ToSeq().Strict()));
        if (session.Version >= 2) fx.Send(to, new ServerEvent.End("USERS", state.Roster.Count));
    }
}
