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
        state.Shapes.IsEmpty ? None
        : (state.Shapes.Find(keys.First) | (keys.Second == keys.First ? None : state.Shapes.Find(keys.Second))).Bind(state.Sessions.Find).Map(s => s.Nick);

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
