using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

public static partial class Room
{
    /// <summary>The BYE (and LEFT) reason for a connection whose account was removed while it used it.</summary>
    public const string AccountRemoved = "account removed";

    /// <summary>
    /// Accounts were removed from the users file: each member using one of those nicknames is told
    /// <c>BYE account removed</c> and disconnected, the others get <c>LEFT</c> with that reason, and the nickname is
    /// free again (a new LOGIN with it is checked against the accounts as they are now). A connection whose
    /// password is being checked for one of them gets the same BYE: its check may have read the accounts before
    /// the removal, and its verdict must not let it in. A nickname nobody is using changes nothing.
    /// </summary>
    private static RoomState AccountsRemoved(RoomState state, Input.AccountsRemoved removed, Effects fx)
    {
        // Plain loops, not Seq.Concat and friends: their nested generic types stop the NativeAOT compiler.
        var gone = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var leaving = new List<Session>();
        foreach (var nick in removed.Nicks)
            if (gone.Add(Syntax.FoldNick(nick)) && state.Nicks.Find(Syntax.FoldNick(nick)).Bind(state.Sessions.Find).Case is Session member)
                leaving.Add(member);
        // The checks pending are few (at most MaxChecksInFlight), so they are walked rather than indexed.
        foreach (var id in state.Checks.Keys)
            if (state.Sessions.Find(id).Case is Session { Phase: Phase.CheckingPassword } checking && gone.Contains(Syntax.FoldNick(checking.Nick)))
                leaving.Add(checking);
        foreach (var session in leaving)
        {
            fx.Send(session.Id, new ServerEvent.Bye(AccountRemoved));
            state = Remove(state, session, AccountRemoved, fx);
        }
        return state;
    }
}
