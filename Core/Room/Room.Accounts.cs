using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

public static partial class Room
{
    /// <summary>The BYE (and LEFT) reason for a member whose account was removed while they were in the room.</summary>
    public const string AccountRemoved = "account removed";

    /// <summary>
    /// Accounts were removed from the users file: each member using one of those nicknames is told
    /// <c>BYE account removed</c> and disconnected, the others get <c>LEFT</c> with that reason, and the nickname is
    /// free again (a new LOGIN with it is checked against the accounts as they are now). A nickname nobody is
    /// using changes nothing; a connection still waiting for its check is left to the verdict.
    /// </summary>
    private static RoomState AccountsRemoved(RoomState state, Input.AccountsRemoved removed, Effects fx)
    {
        foreach (var nick in removed.Nicks)
        {
            if (state.Nicks.Find(Syntax.FoldNick(nick)).Bind(state.Sessions.Find).Case is not Session member) continue;
            fx.Send(member.Id, new ServerEvent.Bye(AccountRemoved));
            state = Remove(state, member, AccountRemoved, fx);
        }
        return state;
    }
}
