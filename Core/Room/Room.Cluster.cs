using ChatRoom.Core.Log;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

/// <summary>
/// The room served by several hosts (a cluster). Every host applies the same log in the same order, so every
/// rule here is a fold of committed events or a decision about this host's own connections: a JOINED for a
/// nickname already listed loses (<see cref="LostRace"/>), a LEFT ends only the membership of the host it names,
/// a host unheard for <see cref="RoomSettings.HostTimeout"/> has its members' LEFT written by the others
/// (whoever writes it first ends the membership, the copies end nothing), and whispers to another host's member
/// are relayed. A host alone has an empty <see cref="RoomState.Host"/> and none of this changes anything.
/// </summary>
public static partial class Room
{
    /// <summary>The LEFT reason for the members of a host the others stopped hearing from, and their BYE if it was only cut off.</summary>
    public const string HostLost = "their server stopped answering";

    /// <summary>
    /// The LEFT of this host's <paramref name="session"/>: in a cluster it names the membership it ends, this host
    /// and the connection whose JOINED began it.
    /// </summary>
    private static RoomEvent.Left LeftOf(RoomState state, Session session, string reason) =>
        new(session.Nick, reason) { Host = state.Host, Connection = state.Host.Length == 0 ? default : session.Id };

    /// <summary>
    /// Whether a nickname is in use: by a login here (taken the moment its password was accepted), or by a
    /// member of another host according to the log. While this host is still catching up with the log, its roster
    /// may list someone whose LEFT it has not read yet: then only the log decides (the JOINED goes to it, and
    /// loses there if the nickname is still taken, <see cref="LostRace"/>).
    /// </summary>
    private static bool Taken(RoomState state, string nick)
    {
        var folded = Syntax.FoldNick(nick);
        return state.Nicks.ContainsKey(folded)
               || (state.Seq >= state.CatchUpTo && state.RosterSeqs.ContainsKey(folded) && state.HostOf(folded) != state.Host);
    }

    /// <summary>
    /// A host was heard (its heartbeat, or entries of its own in the log). This host's own heartbeat, come back
    /// through NATS, says that this host can hear the others; a gap in it starts a new unbroken run. A host heard
    /// again is no longer being written out: its members from now on are its own.
    /// </summary>
    private static RoomState HostSeen(RoomState state, Input.HostSeen h)
    {
        if (h.Host.Length == 0 || state.Host.Length == 0) return state;
        if (h.Host == state.Host)
            return state with { SelfLast = h.At, SelfSince = h.At - state.SelfLast > Deafness(state.Settings) ? h.At : state.SelfSince };
        return state with
        {
            HostsSeen = state.HostsSeen.AddOrUpdate(h.Host, h.At),
            Dropping = state.Dropping.Contains(h.Host) ? state.Dropping.Remove(h.Host) : state.Dropping,
        };
    }

    /// <summary>Not hearing one's own heartbeat for this long (half the host timeout) means this host cannot judge others.</summary>
    private static TimeSpan Deafness(RoomSettings settings) => settings.HostTimeout / 2;

    /// <summary>
    /// On every tick in a cluster: the members of each host not heard from for <see cref="RoomSettings.HostTimeout"/>
    /// (counted from when this host's own log last came back, so that a log that was away condemns nobody) leave,
    /// once per host while it still has members. The LEFT names the lost host, so it ends nothing if that member
    /// has left or joined again elsewhere meanwhile.
    /// </summary>
    private static RoomState HostsHeard(RoomState state, DateTimeOffset now, Effects fx)
    {
        if (state.Host.Length == 0 || state.RosterHosts.IsEmpty || state.LogDown.IsSome) return state;
        // Only a host that hears itself, and has caught up with the log, judges: its roster is then the room's.
        if (now - state.SelfLast > Deafness(state.Settings) || state.Seq < state.CatchUpTo) return state;
        var lost = new Dictionary<string, List<(string Nick, ConnectionId Origin)>>(StringComparer.Ordinal);
        var present = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var (folded, host) in state.RosterHosts)
        {
            present.Add(host);
            if (host == state.Host || state.Dropping.Contains(host)) continue;
            var heard = state.HostsSeen.Find(host).Match(seen => seen > state.SelfSince ? seen : state.SelfSince, () => state.SelfSince);
            if (now - heard < state.Settings.HostTimeout) continue;
            if (!lost.TryGetValue(host, out var nicks)) lost[host] = nicks = [];
            if (state.RosterSeqs.Find(folded).Bind(state.Roster.Find).Case is string nick)
                nicks.Add((nick, state.RosterOrigins.Find(folded).IfNone(default(ConnectionId))));
        }
        var next = state;
        foreach (var host in state.Dropping)
            if (!present.Contains(host)) next = next with { Dropping = next.Dropping.Remove(host) };
        foreach (var (host, nicks) in lost)
        {
            fx.Log(Severity.Warning, "host {Host} has not been heard from for {Seconds} s: writing the LEFT of its {Count} members",
                host, Str((long)state.Settings.HostTimeout.TotalSeconds), Str(nicks.Count));
            next = next with { Dropping = next.Dropping.Add(host) };
            foreach (var (nick, origin) in nicks) next = Append(next, new RoomEvent.Left(nick, HostLost) { Host = host, Connection = origin }, default, fx);
        }
        return next;
    }

    /// <summary>
    /// A committed LEFT ended the membership of a member of this host that did not ask to leave: another host
    /// declared this one lost (it was cut off from the others for too long). The member is told so and let go; it
    /// can log in again.
    /// </summary>
    private static RoomState Dropped(RoomState state, LogEntry entry, string nick, string reason, Effects fx)
    {
        if (state.Nicks.Find(Syntax.FoldNick(nick)).Bind(state.Sessions.Find).Case is not Session { Phase: Phase.InRoom, Leaving: false } member
            || (entry.Host == state.Host && entry.Origin == member.Id))
            return state;
        fx.Log(Severity.Warning, "{Nick} ({Connection}) was written out of the room by another host ({Reason}): disconnecting", member.Nick, member.Id.ToString(), reason);
        fx.Send(member.Id, new ServerEvent.Bye(HostLost));
        fx.Add(new Effect.Close(member.Id, HostLost));
        return Released(WithoutMember(state, member.Id) with
        {
            Sessions = state.Sessions.Remove(member.Id),
            Nicks = state.Nicks.Remove(Syntax.FoldNick(member.Nick)),
            Shapes = Unshaped(state.Shapes, member),
        }, member);
    }

    /// <summary>
    /// This host's login lost its nickname to a JOINED from another host that the log ordered first: the session
    /// is told the nickname is taken and may log in again, as when two logins race on one host.
    /// </summary>
    private static RoomState LostRace(RoomState state, Session session, Effects fx)
    {
        fx.Log(Severity.Information, "login of {Nick} ({Connection}) lost the nickname to another host's login", session.Nick, session.Id.ToString());
        fx.Send(session.Id, NickInUse(session.Nick));
        fx.Add(new Effect.LineLimit(session.Id, state.Settings.MaxLineBytesBeforeLogin));
        var back = session with { Phase = Phase.AwaitingLogin, Joining = false, Nick = "" };
        var next = state with
        {
            Sessions = state.Sessions.SetItem(session.Id, back),
            Nicks = state.Nicks.Remove(Syntax.FoldNick(session.Nick)),
            Shapes = Unshaped(state.Shapes, session),
        };
        return Counted(next, session.Address, session.Id, connections: 0, anonymous: 1);
    }

    /// <summary>A whisper another host relayed: delivered if its target is a member here, else dropped (it just left).</summary>
    private static RoomState Relayed(RoomState state, Input.Relayed r, Effects fx)
    {
        if (state.Nicks.Find(Syntax.FoldNick(r.Whisper.To)).Bind(state.Sessions.Find).Case is Session { Phase: Phase.InRoom, Leaving: false } target)
            fx.Send(target.Id, r.Whisper);
        return state;
    }

    /// <summary>The host a whisper to <paramref name="to"/> must be relayed to: a member of another host that is not being written out.</summary>
    private static Option<string> RelayHost(RoomState state, string to)
    {
        var folded = Syntax.FoldNick(to);
        if (state.Host.Length == 0 || !state.RosterSeqs.ContainsKey(folded)) return None;
        var host = state.HostOf(folded);
        return host.Length > 0 && host != state.Host && !state.Dropping.Contains(host) ? host : None;
    }
}
