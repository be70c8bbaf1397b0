using System.Text;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

public static partial class Room
{
    private static RoomState Say(RoomState state, Session session, string text, Effects fx)
    {
        var seq = state.Seq + 1;
        fx.Add(new Effect.Broadcast(state.Members, new ServerEvent.Message(seq, session.Nick, text)));
        return state with { Seq = seq };
    }

    private static RoomState Whisper(RoomState state, Session session, Command.Whisper whisper, Effects fx)
    {
        if (state.Nicks.Find(Syntax.FoldNick(whisper.To)).Bind(state.Sessions.Find).Case is not Session target)
            return Reply(state, session, new ServerEvent.Error(ErrorCodes.NoSuchUser, $"no such user: {whisper.To}"), fx);

        var message = new ServerEvent.Whisper(session.Nick, target.Nick, whisper.Text);
        fx.Send(target.Id, message);
        if (target.Id != session.Id) fx.Send(session.Id, message);
        return state;
    }

    private static RoomState Who(RoomState state, Session session, Effects fx)
    {
        SendUsers(state, session.Id, fx);
        return state;
    }

    /// <summary>
    /// Sends the member list as USERS lines, splitting it so that no line is longer than the line limit.
    /// </summary>
    private static void SendUsers(RoomState state, ConnectionId to, Effects fx)
    {
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
    }
}
