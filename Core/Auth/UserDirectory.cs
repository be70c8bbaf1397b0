using ChatRoom.Core.Protocol;
using LanguageExt.ClassInstances;
using LanguageExt.Common;

namespace ChatRoom.Core.Auth;

/// <summary>One account: the nickname as registered, and its password hash (never the password).</summary>
public sealed record UserAccount(string Nick, PasswordHash Hash);

/// <summary>
/// The accounts the server knows: nickname (folded, so case-insensitive) to account. Immutable. The map names
/// its equality (ordinal) so that LanguageExt does not search for one by reflection (see Room/Instances.cs).
/// </summary>
public sealed record UserDirectory(HashMap<EqStringOrdinal, string, UserAccount> Accounts)
{
    /// <summary>No accounts.</summary>
    public static readonly UserDirectory Empty = new(default(HashMap<EqStringOrdinal, string, UserAccount>));

    /// <summary>The account for a nickname, compared case-insensitively.</summary>
    public Option<UserAccount> Find(string nick) => Accounts.Find(Syntax.FoldNick(nick));

    /// <summary>Adds an account. Errors: an invalid nickname, or one that already exists.</summary>
    public Fin<UserDirectory> Add(UserAccount account) =>
        !Syntax.IsValidNick(account.Nick) ? Error.New($"invalid nickname '{account.Nick}'")
        : Accounts.ContainsKey(Syntax.FoldNick(account.Nick)) ? Error.New($"user '{account.Nick}' already exists")
        : this with { Accounts = Accounts.Add(Syntax.FoldNick(account.Nick), account) };

    /// <summary>Replaces the hash of an existing account. Error: no such user.</summary>
    public Fin<UserDirectory> SetPassword(string nick, PasswordHash hash) =>
        Find(nick).Match(
            a => FinSucc(this with { Accounts = Accounts.SetItem(Syntax.FoldNick(nick), a with { Hash = hash }) }),
            () => FinFail<UserDirectory>(Error.New($"no such user '{nick}'")));

    /// <summary>Removes an account. Error: no such user.</summary>
    public Fin<UserDirectory> Remove(string nick) =>
        Accounts.ContainsKey(Syntax.FoldNick(nick))
            ? this with { Accounts = Accounts.Remove(Syntax.FoldNick(nick)) }
            : Error.New($"no such user '{nick}'");

    /// <summary>The accounts, sorted by nickname.</summary>
    public Seq<UserAccount> List() => toSeq(Accounts.Values.OrderBy(a => Syntax.FoldNick(a.Nick), StringComparer.Ordinal)).Strict();
}
