using ChatRoom.Core.Room;

namespace ChatRoom.Host;

/// <summary>
/// A room log that several hosts append to (a cluster). Its <see cref="IRoomLog.Append"/> only makes the appends
/// durable and returns none of them: every host's committed entries, this host's own included, reach the room in
/// the log's one order through the feed <see cref="Start"/> opens. It also carries what hosts tell each other
/// outside the log: that they are alive (<see cref="Input.HostSeen"/>) and whispers (<see cref="Effect.Relay"/>).
/// Implementation: <c>JetStreamRoomLog</c>.
/// </summary>
public interface ISharedRoomLog : IRoomLog
{
    /// <summary>This host's name in the cluster, unique to this run of the process (<see cref="RoomState.Host"/>).</summary>
    string HostId { get; }

    /// <summary>
    /// Starts feeding the room: every committed entry from the log's first, in order, as <see cref="Input.Committed"/>
    /// batches; the other hosts' heartbeats as <see cref="Input.HostSeen"/>; whispers relayed to this host as
    /// <see cref="Input.Relayed"/>. Called once, after the room applied <see cref="Input.Recovered"/>. The feed
    /// keeps at most a bounded number of entries ahead of <paramref name="applied"/> (the last seq the room applied),
    /// so that replaying a long log never piles it up in memory or starves the room's other inputs.
    /// </summary>
    void Start(Func<Input, bool> post, Func<long> applied);

    /// <summary>Sends a whisper to the host whose member it is for, at most once, without waiting.</summary>
    void Relay(Effect.Relay relay);

    /// <summary>
    /// Offers the room as it is after applying the log up to its seq (the room's immutable state, taken on the room
    /// thread at no cost): who is in it and each host's last entry number, for a snapshot that a starting host reads
    /// instead of replaying the whole log. Written off the room thread, when due; never blocks.
    /// </summary>
    void Snapshot(RoomState room);
}
