using ChatRoom.Core.Names;
using ChatRoom.Core.Protocol;
using LanguageExt.ClassInstances;

namespace ChatRoom.Core.Room;

/// <summary>
/// No two members online look alike: each member's look-alike keys (<see cref="Lookalike.Keys"/>) are held in
/// <see cref="RoomState.Shapes"/>, and a LOGIN whose nickname shares one is refused with ERROR 423.
/// </summary>
public static partial class Room
{
    private static ServerEvent LooksLikeMember(string nick, string twin) =>
        new ServerEvent.Error(ErrorCodes.LooksLike, $"nickname {nick} looks like {twin}, who is online");

    /// <summary>The nickname of a member who shares one of these look-alike keys, if any.</summary>
    private static Option<string> LookAlikeOnline(RoomState state, (string First, string Second) keys) =>
        (state.Shapes.IsEmpty ? None
            : (state.Shapes.Find(keys.First) | (keys.Second == keys.First ? None : state.Shapes.Find(keys.Second))).Bind(state.Sessions.Find).Map(s => s.Nick))
        | LookAlikeElsewhere(state, keys);

    /// <summary>
    /// In a cluster, the nickname of another host's member who shares one of these keys. Only admission reads it:
    /// the keys depend on this host's Unicode data, so they never decide what a committed JOINED does. While this
    /// host is still catching up with the log, its roster may list members who have left: it refuses nobody for them.
    /// </summary>
    private static Option<string> LookAlikeElsewhere(RoomState state, (string First, string Second) keys) =>
        state.RosterShapes.IsEmpty || state.Seq < state.CatchUpTo ? None
        : (state.RosterShapes.Find(keys.First) | state.RosterShapes.Find(keys.Second)).Bind(state.RosterSeqs.Find).Bind(state.Roster.Find);

    /// <summary>The roster's look-alike keys with or without another host's member (a host's own are in <see cref="RoomState.Shapes"/>).</summary>
    private static HashMap<EqStringOrdinal, string, string> Reshaped(HashMap<EqStringOrdinal, string, string> shapes, string nick, bool add)
    {
        var (first, second) = Lookalike.Keys(nick);
        var folded = Syntax.FoldNick(nick);
        if (add) return shapes.TryAdd(first, folded).TryAdd(second, folded);
        var without = shapes.Find(first).Exists(f => f == folded) ? shapes.Remove(first) : shapes;
        return without.Find(second).Exists(f => f == folded) ? without.Remove(second) : without;
    }

    /// <summary>A new member's look-alike keys added (a key already held stays its holder's).</summary>
    private static HashMap<EqStringOrdinal, string, ConnectionId> Shaped(
        HashMap<EqStringOrdinal, string, ConnectionId> shapes, (string First, string Second) keys, ConnectionId member)
    {
        var added = shapes.TryAdd(keys.First, member);
        return keys.Second == keys.First ? added : added.TryAdd(keys.Second, member);
    }

    /// <summary>The member's look-alike keys removed, where they are the member's.</summary>
    private static HashMap<EqStringOrdinal, string, ConnectionId> Unshaped(HashMap<EqStringOrdinal, string, ConnectionId> shapes, Session member)
    {
        var (first, second) = Lookalike.Keys(member.Nick);
        var without = shapes.Find(first).Exists(id => id == member.Id) ? shapes.Remove(first) : shapes;
        return second == first || !without.Find(second).Exists(id => id == member.Id) ? without : without.Remove(second);
    }
}
