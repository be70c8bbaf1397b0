using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.FullScreen;

/// <summary>
/// Who is online, as the pane beside the transcript lists them: replaced by each complete USERS answer, kept live
/// by JOINED and LEFT. Nicknames are told apart as the server tells them (<see cref="Syntax.FoldNick"/>) and
/// listed in alphabetical order. Only live events change it: a JOINED replayed from history is not news.
/// Immutable.
/// </summary>
public sealed record UserList(Seq<string> Nicks)
{
    public static readonly UserList Empty = new(LanguageExt.Seq<string>.Empty);

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
    public bool Contains(string nick) => Nicks.Exists(n => Syntax.FoldNick(n) == Syntax.FoldNick(nick));

    private UserList With(string nick) => Contains(nick) ? this : From(Nicks.Add(nick));

    private UserList Without(string nick) =>
        new(Nicks.Filter(n => Syntax.FoldNick(n) != Syntax.FoldNick(nick)).Strict());

    private static UserList From(IEnumerable<string> nicks) =>
        new(nicks.DistinctBy(Syntax.FoldNick)
            .OrderBy(Syntax.FoldNick, StringComparer.Ordinal)
            .ToSeq().Strict());
}
