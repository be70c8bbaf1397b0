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

    /// <summary>How many accounts use each iteration count, kept by every change (a login never counts them).</summary>
    public HashMap<EqInt, int, int> Costs { get; init; }

    /// <summary>
    /// The iteration count of the decoy hash an unknown nickname is checked against: the count most accounts use
    /// (of two equally common, the higher), so that an unknown nickname takes as long as a wrong password for a
    /// typical account. <see cref="PasswordHash.DefaultIterations"/> while there are no accounts. Kept up to date
    /// by <see cref="Add"/>, <see cref="SetPassword"/> and <see cref="Remove"/>.
    /// </summary>
    public int DecoyIterations { get; init; } = PasswordHash.DefaultIterations;

    /// <summary>The account for a nickname, compared case-insensitively.</summary>
    public Option<UserAccount> Find(string nick) => Accounts.Find(Syntax.FoldNick(nick));

    /// <summary>Adds an account. Errors: an invalid nickname, or one that already exists.</summary>
    public Fin<UserDirectory> Add(UserAccount account) =>
        !Syntax.IsValidNick(account.Nick) ? Error.New($"invalid nickname '{account.Nick}'")
        : Accounts.ContainsKey(Syntax.FoldNick(account.Nick)) ? Error.New($"user '{account.Nick}' already exists")
        : (this with { Accounts = Accounts.Add(Syntax.FoldNick(account.Nick), account) }).Counted(account.Hash.Iterations, +1);

    /// <summary>Replaces the hash of an existing account. Error: no such user.</summary>
    public Fin<UserDirectory> SetPassword(string nick, PasswordHash hash) =>
        Find(nick).Match(
            a => FinSucc((this with { Accounts = Accounts.SetItem(Syntax.FoldNick(nick), a with { Hash = hash }) })
                .Counted(a.Hash.Iterations, -1).Counted(hash.Iterations, +1)),
            () => FinFail<UserDirectory>(Error.New($"no such user '{nick}'")));

    /// <summary>Removes an account. Error: no such user.</summary>
    public Fin<UserDirectory> Remove(string nick) =>
        Find(nick).Match(
            a => FinSucc((this with { Accounts = Accounts.Remove(Syntax.FoldNick(nick)) }).Counted(a.Hash.Iterations, -1)),
            () => FinFail<UserDirectory>(Error.New($"no such user '{nick}'")));

    /// <summary>The accounts, sorted by nickname.</summary>
    public Seq<UserAccount> List() => toSeq(Accounts.Values.OrderBy(a => Syntax.FoldNick(a.Nick), StringComparer.Ordinal)).Strict();

    /// <summary>
    /// The directory with one more (or one fewer) account at <paramref name="iterations"/>, and the decoy's cost
    /// recomputed from the counts: there are a handful of distinct costs, however many accounts.
    /// </summary>
    private UserDirectory Counted(int iterations, int delta)
    {
        var count = Costs.Find(iterations).IfNone(0) + delta;
        var costs = count > 0 ? Costs.AddOrUpdate(iterations, count) : Costs.Remove(iterations);
        var decoy = costs.IsEmpty
            ? PasswordHash.DefaultIterations
            : costs.OrderByDescending(c => c.Value).ThenByDescending(c => c.Key).First().Key;
        return this with { Costs = costs, DecoyIterations = decoy };
    }
}
