using System.Collections.Immutable;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.FullScreen;

/// <summary>
/// Who is online, as the pane beside the transcript lists them: replaced by each complete USERS answer, kept live
/// by JOINED and LEFT. Nicknames are told apart as the server tells them (<see cref="Syntax.FoldNick"/>) and
/// listed in the order of their folded form. Only live events change it: a JOINED replayed from history is not
/// news. Immutable; a join or a leave costs O(log n), so a storm of logins into a room of thousands (each
/// PRESENCE line shown as up to 256 JOINED) does not re-sort the list for each.
/// </summary>
public sealed record UserList
{
    private readonly ImmutableSortedDictionary<string, string> _byFold;

    private UserList(ImmutableSortedDictionary<string, string> byFold) => _byFold = byFold;

    public static readonly UserList Empty = new(ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal));

    /// <summary>The nicknames, as the server spells them, in order; read as far as needed (the pane draws only the rows it has).</summary>
    public IEnumerable<string> Nicks => _byFold.Values;

    /// <summary>How many are online.</summary>
    public int Count => _byFold.Count;

    /// <summary>The list after a live event; events that say nothing about who is online leave it as it is.</summary>
    public UserList Apply(ServerEvent e) => e switch
    {
        ServerEvent.Users users => From(users.Nicks),
        ServerEvent.Joined joined => With(joined.Nick),
        ServerEvent.Left left => Without(left.Nick),
        ServerEvent.Welcome welcome => With(welcome.Nick),
        _ => this,
    };

    /// <summary>True when <paramref name="nick"/> is listed.</summary>
    public bool Contains(string nick) => _byFold.ContainsKey(Syntax.FoldNick(nick));

    private UserList With(string nick) => Contains(nick) ? this : new(_byFold.Add(Syntax.FoldNick(nick), nick));

    private UserList Without(string nick) => Contains(nick) ? new(_byFold.Remove(Syntax.FoldNick(nick))) : this;

    private static UserList From(IEnumerable<string> nicks)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var nick in nicks) builder.TryAdd(Syntax.FoldNick(nick), nick);
        return new UserList(builder.ToImmutable());
    }

    public bool Equals(UserList? other) => other is not null && Nicks.SequenceEqual(other.Nicks, StringComparer.Ordinal);

    public override int GetHashCode() => _byFold.Count;
}
