using ChatRoom.Core.Names;
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

    /// <summary>
    /// Every look-alike key (<see cref="Lookalike.Keys"/>) of the accounts, to the folded nickname of the account
    /// holding it: what keeps a new account from passing for an old one.
    /// </summary>
    public HashMap<EqStringOrdinal, string, string> Shapes { get; init; }

    /// <summary>The account for a nickname, compared case-insensitively.</summary>
    public Option<UserAccount> Find(string nick) => Accounts.Find(Syntax.FoldNick(nick));

    /// <summary>
    /// Adds an account. Errors: a nickname that breaks the rules (<see cref="NickProfile"/>: code
    /// <see cref="ErrorCodes.Invalid"/>), one that already exists, or one that looks like an existing account's
    /// (code <see cref="ErrorCodes.LooksLike"/>).
    /// </summary>
    public Fin<UserDirectory> Add(UserAccount account)
    {
        var nick = account.Nick;
        if (NickProfile.Refusal(nick).Case is string why) return Error.New(ErrorCodes.Invalid, $"invalid nickname '{nick}': {why}");
        var folded = Syntax.FoldNick(nick);
        if (Accounts.ContainsKey(folded)) return Error.New($"user '{nick}' already exists");
        var (first, second) = Lookalike.Keys(nick);
        if (LookalikeOf(first, second).Case is UserAccount other)
            return Error.New(ErrorCodes.LooksLike, $"nickname '{nick}' looks like the account '{other.Nick}'");
        return With(folded, account, first, second);
    }

    /// <summary>An account whose nickname looks like <paramref name="nick"/> (shares a look-alike key with it), if any.</summary>
    public Option<UserAccount> LookalikeOf(string nick)
    {
        var (first, second) = Lookalike.Keys(nick);
        return LookalikeOf(first, second);
    }

    private Option<UserAccount> LookalikeOf(string first, string second) =>
        (Shapes.Find(first) | Shapes.Find(second)).Bind(Accounts.Find);

    /// <summary>
    /// Adds an account read back from the users file. Only the syntax and the folded nickname are checked: an
    /// account made before the look-alike rules keeps working (the room still refuses to have two look-alikes
    /// online at once). Errors: an invalid nickname, or one that already exists.
    /// </summary>
    public Fin<UserDirectory> Restore(UserAccount account) =>
        !Syntax.IsValidNick(account.Nick) ? Error.New($"invalid nickname '{account.Nick}'")
        : Accounts.ContainsKey(Syntax.FoldNick(account.Nick)) ? Error.New($"user '{account.Nick}' already exists")
        : With(Syntax.FoldNick(account.Nick), account, Lookalike.Keys(account.Nick).First, Lookalike.Keys(account.Nick).Second);

    /// <summary>Replaces the hash of an existing account. Error: no such user.</summary>
    public Fin<UserDirectory> SetPassword(string nick, PasswordHash hash) =>
        Find(nick).Match(
            a => FinSucc((this with { Accounts = Accounts.SetItem(Syntax.FoldNick(nick), a with { Hash = hash }) })
                .Counted(a.Hash.Iterations, -1).Counted(hash.Iterations, +1)),
            () => FinFail<UserDirectory>(Error.New($"no such user '{nick}'")));

    /// <summary>Removes an account (and frees its look-alike keys). Error: no such user.</summary>
    public Fin<UserDirectory> Remove(string nick)
    {
        var folded = Syntax.FoldNick(nick);
        if (Accounts.Find(folded).Case is not UserAccount account) return Error.New($"no such user '{nick}'");
        var (first, second) = Lookalike.Keys(account.Nick);
        var accounts = Accounts.Remove(folded);
        var shapes = Free(Free(Shapes, first, folded), second, folded);
        // Restored accounts may share a key (look-alikes made before the rules): a freed key another account
        // still has goes to that account, so removing one of two look-alikes does not open the door to a third.
        foreach (var key in (string[])[first, second])
            if (!shapes.ContainsKey(key) && accounts.Values.Find(a => Lookalike.Keys(a.Nick) is var (f, s) && (f == key || s == key)).Case is UserAccount heir)
                shapes = shapes.Add(key, Syntax.FoldNick(heir.Nick));
        return (this with { Accounts = accounts, Shapes = shapes }).Counted(account.Hash.Iterations, -1);
    }

    /// <summary>The accounts, sorted by nickname.</summary>
    public Seq<UserAccount> List() => toSeq(Accounts.Values.OrderBy(a => Syntax.FoldNick(a.Nick), StringComparer.Ordinal)).Strict();

    /// <summary>The directory with one more account; a key already held (only by a restored account) stays its holder's.</summary>
    private UserDirectory With(string folded, UserAccount account, string first, string second) =>
        (this with { Accounts = Accounts.Add(folded, account), Shapes = Shapes.TryAdd(first, folded).TryAdd(second, folded) })
            .Counted(account.Hash.Iterations, +1);

    private static HashMap<EqStringOrdinal, string, string> Free(HashMap<EqStringOrdinal, string, string> shapes, string key, string folded) =>
        shapes.Find(key).Exists(holder => holder == folded) ? shapes.Remove(key) : shapes;

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
