using LanguageExt.ClassInstances;

namespace ChatRoom.Core.Room;

/// <summary>What the room remembers about one IP address: open connections and refused logins.</summary>
/// <param name="Connections">How many connections from it are open.</param>
/// <param name="Failures">When its recent logins were refused, oldest first.</param>
/// <param name="CooldownUntil">Until when its LOGINs are refused outright.</param>
/// <param name="AnonymousIds">Its open connections that have not logged in, oldest first.</param>
/// <param name="FloodedUntil">Until when its new connections are refused, after one of them was cut off for flooding.</param>
public sealed record AddressRecord(int Connections, Seq<DateTimeOffset> Failures, DateTimeOffset CooldownUntil,
    Set<OrdConnectionId, ConnectionId> AnonymousIds = default, DateTimeOffset FloodedUntil = default)
{
    /// <summary>How many of its open connections have not logged in.</summary>
    public int Anonymous => AnonymousIds.Count;

    /// <summary>An address the room has not seen.</summary>
    public static readonly AddressRecord Empty = new(0, LanguageExt.Seq<DateTimeOffset>.Empty, DateTimeOffset.MinValue);

    /// <summary>True when nothing about the address is worth keeping.</summary>
    public bool IsIdle(DateTimeOffset now, TimeSpan window) =>
        Connections == 0 && CooldownUntil <= now && FloodedUntil <= now && Failures.ForAll(t => now - t >= window);
}

/// <summary>
/// An address and how many anonymous connections it holds, ordered by that count and then by the address
/// (ordinally: the order must be cheap and the same everywhere, not the culture's).
/// </summary>
public readonly record struct Holder(int Count, string Address) : IComparable<Holder>
{
    /// <inheritdoc />
    public int CompareTo(Holder other) =>
        Count != other.Count ? Count.CompareTo(other.Count) : string.CompareOrdinal(Address, other.Address);
}

/// <summary>
/// The whole state of the room. Immutable: the reducer returns a new one for every input.
/// </summary>
/// <param name="Settings">The limits in force.</param>
/// <param name="Sessions">Every open connection.</param>
/// <param name="Members">
/// The connections in the room (logged in), the target of every broadcast, in the order they connected. An
/// ordered set rather than a hash set: every broadcast walks it, and a walk allocates one small enumerator
/// whatever the size, where walking the hash set allocated one iterator per trie node.
/// </param>
/// <param name="Nicks">Folded nickname (see <see cref="Protocol.Syntax.FoldNick"/>) to the member using it.</param>
/// <param name="Seq">The seq of the last event the log committed (JOINED, LEFT or MESSAGE).</param>
/// <param name="Addresses">Per-address counters for connection limits and login throttling.</param>
/// <remarks>
/// Every map and set names its key's order or equality (<see cref="OrdConnectionId"/>, <see cref="OrdHolder"/>,
/// LanguageExt's ordinal <see cref="EqStringOrdinal"/>) rather than leaving LanguageExt to find one by
/// reflection: see Instances.cs.
/// </remarks>
public sealed record RoomState(
    RoomSettings Settings,
    HashMap<OrdConnectionId, ConnectionId, Session> Sessions,
    Set<OrdConnectionId, ConnectionId> Members,
    HashMap<EqStringOrdinal, string, ConnectionId> Nicks,
    long Seq,
    HashMap<EqStringOrdinal, string, AddressRecord> Addresses)
{
    /// <summary>An empty room with the given limits.</summary>
    public static RoomState Empty(RoomSettings settings) => new(settings, default, default, default, 0, default);

    /// <summary>An empty room with the default limits.</summary>
    public static readonly RoomState Initial = Empty(RoomSettings.Default);

    /// <summary>
    /// The password checks the shell was asked for and has not answered yet, by connection. An entry outlives
    /// its connection: a check keeps its place under the caps until the shell reports it done or skipped, so
    /// closing the connection frees nothing early, and a refusal still counts against its address.
    /// </summary>
    public HashMap<OrdConnectionId, ConnectionId, PendingCheck> Checks { get; init; }

    /// <summary>
    /// The resume tokens the shell was asked to check and has not answered yet, by connection. Like
    /// <see cref="Checks"/> an entry outlives its connection, so a refusal still counts against its address; unlike
    /// them these are not capped, because a token check costs microseconds and is answered at once.
    /// </summary>
    public HashMap<OrdConnectionId, ConnectionId, PendingResume> Resumes { get; init; }

    /// <summary>The connections that have not logged in, oldest first (ids grow with time).</summary>
    public Set<OrdConnectionId, ConnectionId> Anonymous { get; init; }

    /// <summary>
    /// Every address holding an anonymous connection, with how many: the last is the address that holds the
    /// most, whose oldest connection makes room when the anonymous pool is full.
    /// </summary>
    public Set<OrdHolder, Holder> Holders { get; init; }

    /// <summary>
    /// Who is in the room according to the committed log, by the seq of their JOINED, so in the order they joined:
    /// what USERS and WHO list. It changes only when the log commits a JOINED or LEFT, so every USERS matches the
    /// events that follow it.
    /// </summary>
    public Map<OrdLong, long, string> Roster { get; init; }

    /// <summary>The members that speak protocol 1 or 2 (of <see cref="Members"/>): they get every JOINED and LEFT, whatever the room's size.</summary>
    public Set<OrdConnectionId, ConnectionId> Classic { get; init; }

    /// <summary>
    /// In a large room (<see cref="RoomSettings.PresenceBatchAt"/>), who entered (true) or left (false) since the last
    /// PRESENCE line, by exact nickname, the last change winning; and the seq of the newest of them.
    /// </summary>
    public HashMap<EqStringOrdinal, string, PresenceChange> PresencePending { get; init; }

    /// <inheritdoc cref="PresencePending"/>
    public long PresenceSeq { get; init; }

    /// <summary>The size of <see cref="PresencePending"/> on the wire (each nick, its sign and its space).</summary>
    public int PresenceBytes { get; init; }

    /// <summary>The folded nickname of each entry of <see cref="Roster"/>, to its key there.</summary>
    public HashMap<EqStringOrdinal, string, long> RosterSeqs { get; init; }

    /// <summary>
    /// The newest committed events, oldest first: a late joiner is shown the last <see cref="RoomSettings.HistoryOnJoin"/>
    /// of them (up to twice as many are kept, see <c>Room.Remembered</c>).
    /// </summary>
    public Seq<ChatRoom.Core.Log.LogEntry> Recent { get; init; }

    /// <summary>Appends asked for and not yet committed.</summary>
    public int Uncommitted { get; init; }

    /// <summary>Why the log cannot commit, while it cannot (SAY is refused meanwhile); None when it works.</summary>
    public Option<string> LogDown { get; init; }

    /// <summary>The size of the member list on the wire (each nick and its space), which prices WHO.</summary>
    public long RosterBytes { get; init; }

    /// <summary>
    /// The USERS lines that list <see cref="Roster"/>, kept between logins (empty until the first is needed, and
    /// after anyone leaves): a newcomer is listed at the end of the roster, so it changes only the last line, and a
    /// storm of logins shares every other line, down to the bytes the shell encodes once (see <c>Room.UsersLines</c>).
    /// </summary>
    public Seq<Protocol.ServerEvent.Users> UsersLines { get; init; }

    /// <summary>The size on the wire of the last of <see cref="UsersLines"/> without its verb (each nick and its space).</summary>
    public int UsersLastBytes { get; init; }

    /// <summary>
    /// The look-alike keys (<see cref="Names.Lookalike.Keys"/>) of the members' nicknames, to the member: no
    /// one logs in while someone who looks like them is in the room.
    /// </summary>
    public HashMap<EqStringOrdinal, string, ConnectionId> Shapes { get; init; }

    /// <summary>True once the server is stopping: a connection that still arrives is told so and closed.</summary>
    public bool ShuttingDown { get; init; }

    /// <summary>
    /// This host's name in a cluster, unique to this run of the process; empty for a host alone. Every append
    /// carries it (<see cref="ChatRoom.Core.Log.Draft.Host"/>), and a committed entry is this host's own only when it
    /// carries it back.
    /// </summary>
    public string Host { get; init; } = "";

    /// <summary>
    /// In a cluster: the host each member of <see cref="Roster"/> joined through, by folded nickname (a member
    /// joined through a host alone, with an empty name, is not listed). A fold of committed events, like the roster.
    /// </summary>
    public HashMap<EqStringOrdinal, string, string> RosterHosts { get; init; }

    /// <summary>
    /// In a cluster: the look-alike keys of the other hosts' members, to their folded nickname, so that a login
    /// here is refused when it looks like someone on another host (as <see cref="Shapes"/> does for this host's).
    /// </summary>
    public HashMap<EqStringOrdinal, string, string> RosterShapes { get; init; }

    /// <summary>In a cluster: when each other host was last heard from (<see cref="Input.HostSeen"/>).</summary>
    public HashMap<EqStringOrdinal, string, DateTimeOffset> HostsSeen { get; init; }

    /// <summary>Hosts whose members' LEFT this host has written and that still have members in the roster.</summary>
    public LanguageExt.HashSet<EqStringOrdinal, string> Dropping { get; init; }

    /// <summary>
    /// In a cluster: when this host last heard its own heartbeat come back through NATS, and since when it has
    /// heard it without a break. A host judges others only while it hears itself, and counts their silence only
    /// from when it began to hear itself again: NATS being away, or this host being cut off, condemns nobody.
    /// </summary>
    public DateTimeOffset SelfLast { get; init; }

    /// <inheritdoc cref="SelfLast"/>
    public DateTimeOffset SelfSince { get; init; }

    /// <summary>In a cluster: the connection whose JOINED began each roster member's membership, by folded nickname (with <see cref="RosterHosts"/>).</summary>
    public HashMap<EqStringOrdinal, string, ConnectionId> RosterOrigins { get; init; }

    /// <summary>In a cluster: the seq this host must have applied before it judges other hosts (<see cref="ChatRoom.Core.Log.Recovery.CatchUpTo"/>).</summary>
    public long CatchUpTo { get; init; }

    /// <summary>In a cluster: how many appends this host has asked for; the next draft is numbered one more (<see cref="ChatRoom.Core.Log.Draft.Number"/>).</summary>
    public long Appended { get; init; }

    /// <summary>
    /// In a cluster: the number of each host's last entry applied. A host's next entry applies only if it is numbered
    /// one more; any other (a copy a retry stored again, or one stored ahead of an earlier one that is to be stored
    /// again) takes its seq and changes nothing, on every host alike. A host not listed (its entries came before the
    /// snapshot this host started from) is listed at its entry numbered 1.
    /// </summary>
    public HashMap<EqStringOrdinal, string, long> Numbers { get; init; }

    /// <summary>In a cluster: the log this host started from was trimmed without a snapshot (<see cref="ChatRoom.Core.Log.Recovery.Partial"/>).</summary>
    public bool NumbersPartial { get; init; }

    /// <summary>The host a roster member joined through (empty: a host alone, or not listed).</summary>
    public string HostOf(string foldedNick) => RosterHosts.Find(foldedNick).IfNone("");

    /// <summary>The phase of a connection; <see cref="Phase.Closed"/> for one the room does not know.</summary>
    public Phase PhaseOf(ConnectionId id) => Sessions.Find(id).Map(s => s.Phase).IfNone(Phase.Closed);
}
