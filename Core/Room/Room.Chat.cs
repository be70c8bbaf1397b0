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

    private static RoomState Who(RoomState state, Session session, Effects fx) => SendUsers(state, session, fx);

    /// <summary>
    /// Sends the member list as USERS lines, splitting it so that no line is longer than the line limit; in
    /// protocol 2 followed by <c>END USERS &lt;count&gt;</c>. The lines are kept in the state for the next newcomer
    /// (<see cref="RoomState.UsersLines"/>).
    /// </summary>
    private static RoomState SendUsers(RoomState state, Session session, Effects fx)
    {
        var listed = state.UsersLines.IsEmpty ? UsersLines(state) : state;
        foreach (var line in listed.UsersLines) fx.Send(session.Id, line);
        if (session.Version >= 2) fx.Send(session.Id, new ServerEvent.End("USERS", state.Roster.Count));
        return listed;
    }

    /// <summary>The budget of one USERS line for its nicks: the line limit less the verb and the newline.</summary>
    private static int UsersBudget(RoomState state) => state.Settings.MaxLineBytes - "USERS\n".Length;

    /// <summary>Each nick costs its bytes and the space before it.</summary>
    private static int UsersCost(string nick) => 1 + Encoding.UTF8.GetByteCount(nick);

    /// <summary>The USERS lines of the whole roster, filled in order, each as full as the line limit allows.</summary>
    private static RoomState UsersLines(RoomState state)
    {
        var budget = UsersBudget(state);
        var lines = new List<ServerEvent.Users>();
        var chunk = new List<string>();
        var used = 0;
        foreach (var nick in state.Roster.Values)
        {
            var size = UsersCost(nick);
            if (chunk.Count > 0 && used + size > budget)
            {
                lines.Add(new ServerEvent.Users(chunk.ToSeq().Strict()));
                chunk.Clear();
                used = 0;
            }
            chunk.Add(nick);
            used += size;
        }
        lines.Add(new ServerEvent.Users(chunk.ToSeq().Strict()));
        return state with { UsersLines = lines.ToSeq().Strict(), UsersLastBytes = used };
    }

    /// <summary>
    /// The kept USERS lines once <paramref name="nick"/> is listed at the end of the roster: added to the last
    /// line, or a line of its own when the last is full; the lines are the ones <see cref="UsersLines(RoomState)"/> would make.
    /// </summary>
    private static RoomState UsersAppended(RoomState state, string nick)
    {
        if (state.UsersLines.IsEmpty) return state;
        var size = UsersCost(nick);
        var last = state.UsersLines.Last;
        if (!last.Nicks.IsEmpty && state.UsersLastBytes + size > UsersBudget(state))
            return state with { UsersLines = state.UsersLines.Add(new ServerEvent.Users(Seq1(nick))), UsersLastBytes = size };
        return state with
        {
            UsersLines = state.UsersLines.Take(state.UsersLines.Count - 1).ToSeq().Add(new ServerEvent.Users(last.Nicks.Add(nick))).Strict(),
            UsersLastBytes = state.UsersLastBytes + size,
        };
    }
}
