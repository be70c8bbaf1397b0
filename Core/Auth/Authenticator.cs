namespace ChatRoom.Core.Auth;

/// <summary>
/// Password checking: a pure function, expensive on purpose. The shell runs it off the room's thread and gives
/// the room only the verdict, so a storm of logins never stalls chat delivery.
/// </summary>
public static class Authenticator
{
    // Hashing against a stand-in for unknown users makes their refusal take as long as a wrong password's for
    // an account of the most common cost (UserDirectory.DecoyIterations, kept by the directory as it changes, so a
    // login never walks 10,000 accounts), so response time does not reveal which nicknames exist.
    private static readonly PasswordHash Decoy =
        PasswordHash.Create("decoy", "chatroom-decoy-salt"u8, PasswordHash.MinIterations)
            .IfFail(_ => throw new InvalidOperationException("decoy hash"));

    /// <summary>
    /// Checks <paramref name="password"/> for <paramref name="nick"/>: <see cref="AuthVerdict.Accepted"/>,
    /// <see cref="AuthVerdict.UnknownUser"/> or <see cref="AuthVerdict.WrongPassword"/>. Never throws.
    /// </summary>
    public static AuthVerdict Authenticate(UserDirectory directory, string nick, string password) =>
        directory.Find(nick).Match(
            account => account.Hash.Verify(password) ? AuthVerdict.Accepted : AuthVerdict.WrongPassword,
            () =>
            {
                _ = (Decoy with { Iterations = directory.DecoyIterations }).Verify(password);
                return AuthVerdict.UnknownUser;
            });
}
