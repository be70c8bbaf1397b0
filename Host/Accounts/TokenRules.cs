using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using Microsoft.Extensions.Logging;

namespace ChatRoom.Host;

/// <summary>
/// What makes a resume token good, kept alike by both token stores (<see cref="TokenStore"/> on the data folder,
/// <see cref="ClusterTokens"/> on a cluster's bucket): it is held for the nickname asked about, and the account's
/// password is still the one it descends from (<see cref="PasswordHash.Stamp"/>); one stored without a stamp is never good.
/// </summary>
public static class TokenRules
{
    /// <summary>The room's answer to <paramref name="check"/>, given the stored <paramref name="entry"/> for its token (null: none).</summary>
    public static Input.TokenChecked Answer(Effect.CheckToken check, TokenEntry? entry, UserDirectory users, DateTimeOffset now)
    {
        var account = entry is null ? None : users.Find(entry.Nick);
        var found = entry is { Stamp: { Length: > 0 } stamp }
            && account.Exists(a => a.Hash.Stamp() == stamp)
            && Syntax.FoldNick(entry.Nick) == Syntax.FoldNick(check.Nick);
        return new Input.TokenChecked(check.Id, account.Map(a => a.Nick).IfNone(check.Nick),
            found ? Some(entry!.Expires) : None, now, found ? entry!.Stamp! : "");
    }

    /// <summary>
    /// Whether a token may be issued: a session admitted without a stamp would get a token that never works, so it
    /// gets none (said in the log) and logs in with its password next time.
    /// </summary>
    public static bool Issuable(Effect.IssueToken issue, ILogger log)
    {
        if (issue.Stamp.Length > 0) return true;
        log.LogError("no password stamp for {Nick} ({Connection}): no token issued", issue.Nick, issue.Id.ToString());
        return false;
    }
}
