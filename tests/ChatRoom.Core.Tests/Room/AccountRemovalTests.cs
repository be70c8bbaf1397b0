using ChatRoom.Core.Auth;
using ChatRoom.Core.Room;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

public class AccountRemovalTests
{
    [Fact]
    public void A_member_whose_account_is_removed_gets_bye_account_removed_and_the_others_get_left()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob").LoggedIn(3, "carol").AccountsRemoved("alice");
        Assert.Equal(["BYE account removed"], room.Lines(1));
        Assert.True(room.Closed(1));
        Assert.Equal(["LEFT 4 alice account removed"], room.Lines(2));
        Assert.Equal(["LEFT 4 alice account removed"], room.Lines(3));
        Assert.Equal(Phase.Closed, room.State.PhaseOf(new(1)));
        Assert.Equal(Phase.InRoom, room.State.PhaseOf(new(2)));
    }

    [Fact]
    public void The_removed_nickname_is_free_for_a_new_login_which_is_checked_again()
    {
        var room = Given().LoggedIn(1, "alice").AccountsRemoved("alice").Open(2).Line(2, "LOGIN alice pw");
        Assert.Equal([2L], room.Checked); // not ERROR 409: the shell checks it against the accounts as they are now
        room.Verdict(2, "alice", AuthVerdict.UnknownUser);
        Assert.Equal(["DENIED invalid nickname or password"], room.Lines(2));
    }

    [Fact]
    public void Removal_matches_the_nickname_in_any_case()
    {
        var room = Given().LoggedIn(1, "Alice").AccountsRemoved("ALICE");
        Assert.Equal(["BYE account removed"], room.Lines(1));
        Assert.True(room.State.Nicks.IsEmpty);
    }

    [Fact]
    public void Several_removed_accounts_are_all_disconnected_each_with_its_own_left()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob").LoggedIn(3, "carol").AccountsRemoved("alice", "bob");
        Assert.Equal(["BYE account removed"], room.Lines(1));
        Assert.Equal(["BYE account removed"], room.Lines(2)); // leaving too: the LEFTs are delivered once committed, to those still in
        Assert.Equal(["LEFT 4 alice account removed", "LEFT 5 bob account removed"], room.Lines(3));
        Assert.Equal(["carol"], room.State.Roster.Values.ToArray());
    }

    [Fact]
    public void Removing_an_account_nobody_is_using_changes_nothing()
    {
        var before = Given().LoggedIn(1, "alice");
        var state = before.State;
        var room = before.AccountsRemoved("bob", "mallory");
        Assert.Empty(room.Effects);
        Assert.Equal(state, room.State);
    }

    [Fact]
    public void A_connection_whose_password_is_being_checked_for_a_removed_account_is_put_out_and_its_verdict_ignored()
    {
        var room = Given().Open(1).Line(1, "LOGIN alice pw").Open(2).Line(2, "LOGIN bob pw").AccountsRemoved("ALICE");
        Assert.Equal(["BYE account removed"], room.Lines(1));
        Assert.True(room.Closed(1));
        Assert.Equal(Phase.CheckingPassword, room.State.PhaseOf(new(2)));
        Assert.True(room.State.Checks.ContainsKey(new(1))); // its place is freed by the shell's answer, as always

        room.Verdict(1, "alice", AuthVerdict.Accepted); // checked against the accounts before the removal
        Assert.Empty(room.Lines(1));
        Assert.True(room.State.Nicks.IsEmpty);
        Assert.False(room.State.Checks.ContainsKey(new(1)));
    }
}
