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
        var gone = removed.Nicks.Map(Syntax.FoldNick).Strict();
        // The checks pending are few (at most MaxChecksInFlight), so they are walked rather than indexed.
        var checking = state.Checks.Keys
            .Choose(id => state.Sessions.Find(id))
            .Filter(s => s.Phase == Phase.CheckingPassword && gone.Exists(n => n == Syntax.FoldNick(s.Nick)))
            .ToSeq().Strict();
        var members = gone.Choose(n => state.Nicks.Find(n).Bind(state.Sessions.Find)).Strict();
        foreach (var session in members.Concat(checking))
        {
            fx.Send(session.Id, new ServerEvent.Bye(AccountRemoved));
            state = Remove(state, session, AccountRemoved, fx);
        }
        return state;
    }
}
