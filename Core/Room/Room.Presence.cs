using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

/// <summary>
/// Telling members who enters and leaves. In a small room every member gets each JOINED and LEFT as it is
/// committed. From <see cref="RoomSettings.PresenceBatchAt"/> members on, members of protocol 3 get them gathered in
/// PRESENCE lines instead: the changes wait in <see cref="RoomState.PresencePending"/> (a nick's last change wins)
/// and go out on the next tick, before the next MESSAGE (so no member sees events out of the log's order), or when
/// <see cref="RoomSettings.PresenceBatchMax"/> are waiting. Members of protocol 1 and 2 still get every line.
/// </summary>
public static partial class Room
{
    private static bool Gathering(RoomState state) =>
        state.Settings.PresenceBatchAt > 0 && state.Members.Count >= state.Settings.PresenceBatchAt;

    /// <summary>
    /// A committed JOINED or LEFT told to <paramref name="to"/> (the members who hear of it): at once as a line, or,
    /// in a large room, at once to the classic members among them and gathered for the others.
    /// </summary>
    private static RoomState Told(RoomState state, Set<OrdConnectionId, ConnectionId> to, ServerEvent line, long seq, string nick, bool entered, Effects fx)
    {
        if (!Gathering(state))
        {
            var flushed = Flushed(state, fx);
            if (!to.IsEmpty) fx.Add(new Effect.Broadcast(to, line, CanWait: true));
            return flushed;
        }
        if (!state.Classic.IsEmpty)
        {
            var classic = to.Count == state.Members.Count ? state.Classic : state.Classic.Intersect(to);
            if (!classic.IsEmpty) fx.Add(new Effect.Broadcast(classic, line, CanWait: true));
        }
        // A line holds at most PresenceBatchMax changes and fits in MaxLineBytes: a change that would not fit sends the rest first.
        var size = (int)RosterSize(nick) + 1; // its sign too
        var next = state.PresencePending.ContainsKey(nick) || state.PresenceBytes + size <= state.Settings.MaxLineBytes - PresenceHead
            ? state
            : Flushed(state, fx);
        next = next with
        {
            PresencePending = next.PresencePending.AddOrUpdate(nick, new PresenceChange(entered, seq)), PresenceSeq = seq,
            PresenceBytes = next.PresencePending.ContainsKey(nick) ? next.PresenceBytes : next.PresenceBytes + size,
        };
        return next.PresencePending.Count >= state.Settings.PresenceBatchMax ? Flushed(next, fx) : next;
    }

    /// <summary>The gathered changes, as one PRESENCE line to every member of protocol 3 there now, if any wait.</summary>
    private static RoomState Flushed(RoomState state, Effects fx)
    {
        if (state.PresencePending.IsEmpty) return state;
        var to = state.Classic.IsEmpty ? state.Members : state.Members.Except(state.Classic);
        if (!to.IsEmpty)
        {
            // In the log's order (of each nick's last change), so that the line reads as what happened.
            var changes = state.PresencePending.OrderBy(c => c.Value.Seq).ToList();
            var entered = changes.Where(c => c.Value.Entered).Select(c => c.Key).ToSeq().Strict();
            var gone = changes.Where(c => !c.Value.Entered).Select(c => c.Key).ToSeq().Strict();
            fx.Add(new Effect.Broadcast(to, new ServerEvent.Presence(state.PresenceSeq, entered, gone), CanWait: true));
        }
        return state with { PresencePending = default, PresenceBytes = 0 };
    }

    /// <summary>Room on a PRESENCE line for its verb, seq and line end.</summary>
    private const int PresenceHead = 40;

    /// <summary>A session enters the member sets.</summary>
    private static RoomState WithMember(RoomState state, Session member) => state with
    {
        Members = state.Members.Add(member.Id),
        Classic = member.Version < ProtocolVersion.Presence ? state.Classic.Add(member.Id) : state.Classic,
    };

    /// <summary>A connection leaves the member sets (if it was in them).</summary>
    private static RoomState WithoutMember(RoomState state, ConnectionId id) => state with
    {
        Members = state.Members.Remove(id),
        Classic = state.Classic.IsEmpty ? state.Classic : state.Classic.Remove(id),
    };
}
