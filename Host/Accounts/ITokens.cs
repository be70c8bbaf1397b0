using ChatRoom.Core.Room;

namespace ChatRoom.Host;

/// <summary>
/// The resume tokens' port: it carries out the room's token effects and decides nothing. <see cref="TokenStore"/>
/// keeps the tokens' hashes in the data folder's token file; <see cref="ClusterTokens"/> in a key-value bucket
/// that every host of a cluster shares, so a token issued by one host resumes on another.
/// </summary>
public interface ITokens : IDisposable
{
    /// <summary>Looks a token up for the room, on the room's thread: never waits on a disk lock or a network, never throws.</summary>
    Input.TokenChecked Check(Effect.CheckToken check);

    /// <summary>Stores a new token; the room hears back with <see cref="Input.TokenIssued"/> once it is stored (or that it is not).</summary>
    void Issue(Effect.IssueToken issue);

    /// <summary>Revokes a token: refused from now on, removed from the store in the background.</summary>
    void Revoke(Effect.RevokeToken revoke);
}

/// <summary>Makes the server's token store once the room exists: it answers the room through <paramref name="post"/>.</summary>
/// <param name="users">The accounts now: a token is good only while its account's password is the one it descends from.</param>
public delegate ITokens TokensFactory(Func<ChatRoom.Core.Auth.UserDirectory> users, Action<Input> post, TimeProvider clock, Microsoft.Extensions.Logging.ILogger log);
