using ChatRoom.Core.Auth;

namespace ChatRoom.Host;

/// <summary>
/// The accounts' port: where nicknames and password hashes live. <see cref="UserStore"/> keeps them in the data
/// folder's users file; <see cref="ClusterAccounts"/> in a JetStream key-value bucket that every host of a cluster
/// shares. The server, the password checks and <c>chatroom-host users</c> see only this.
/// </summary>
public interface IAccounts
{
    /// <summary>Where the accounts live, for messages: the users file's path, or the bucket and its NATS URL.</summary>
    string Where { get; }

    /// <summary>Reports, once, that the accounts cannot be read as they are now; the last good ones stay in force.</summary>
    event Action<string>? Problem;

    /// <summary>Reports accounts that a change (by anyone, anywhere) removed, with their nicknames as they were spelled.</summary>
    event Action<Seq<string>>? Removed;

    /// <summary>The accounts in force, brought up to date first where that is cheap and never waits on a network.</summary>
    UserDirectory Current { get; }

    /// <summary>The accounts last read, at once: for the room thread, which must never wait on a disk or a network.</summary>
    UserDirectory Snapshot { get; }

    /// <summary>Looks for changes made elsewhere (a no-op where a watcher keeps them current) and returns the accounts in force.</summary>
    UserDirectory Refresh();

    /// <summary>Hashes a password with a fresh random salt at the configured cost. Call it before <see cref="Update"/>, not inside it.</summary>
    PasswordHash Hash(string password);

    /// <summary>
    /// Applies a change to the accounts as they are now, everywhere, and saves it without losing anybody else's
    /// change made meanwhile. Errors: the change's own (exists, no such user, looks alike), or the store's, naming
    /// where the accounts live; nothing is changed then.
    /// </summary>
    Fin<UserDirectory> Update(Func<UserDirectory, Fin<UserDirectory>> change);

    /// <summary>
    /// Removes the resume tokens of <paramref name="nick"/> from where this kind of store keeps them (what
    /// <c>users passwd</c> and <c>users remove</c> do after their change); gives how many. Tidying only: a token is
    /// bound to its password's stamp, so none outlives the password anyway.
    /// </summary>
    Fin<int> RevokeTokens(string nick);
}
