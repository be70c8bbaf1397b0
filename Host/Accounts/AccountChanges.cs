namespace ChatRoom.Host;

/// <summary>What a <c>chatroom-host users</c> command changed in the users file.</summary>
public enum AccountChange
{
    /// <summary>A new account.</summary>
    Added,
    /// <summary>An account's password was replaced.</summary>
    PasswordChanged,
    /// <summary>An account was removed.</summary>
    Removed,
}

/// <summary>
/// The one place where the <c>users</c> commands tell everything else that keeps state per account about a change,
/// once it is saved in the users file. A running server needs no call: it sees the file change and disconnects
/// the members whose accounts were removed (see <see cref="UserStore.Removed"/>).
/// </summary>
public static class AccountChanges
{
    /// <summary>
    /// Called after <paramref name="change"/> to <paramref name="nick"/> was saved in <paramref name="users"/>'s
    /// file. A new password or a removed account ends the account's resume tokens (<see cref="IAccounts.RevokeTokens"/>: the token file, or the cluster's tokens bucket),
    /// so that a stolen token dies with the password it came from; an error there fails the command (exit 1, with
    /// the message), after the users file was already changed. That revocation only tidies the token file: what
    /// makes the tokens dead is that each is bound to its password's stamp (see <see cref="TokenStore"/>), so a
    /// failure here, or an account removed by editing the file, leaves no token that works.
    /// </summary>
    public static Fin<Unit> Applied(IAccounts users, string nick, AccountChange change) =>
        change is AccountChange.PasswordChanged or AccountChange.Removed
            ? users.RevokeTokens(nick).Map(_ => unit)
            : unit;
}
