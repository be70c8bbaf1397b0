using ChatRoom.Core.Log;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

/// <summary>
/// The room on its log: the room asks the log to append each event (<see cref="Effect.Append"/>) and applies it
/// only when the log reports it committed with its seq (<see cref="Input.Committed"/>). Who is in the room
/// (<see cref="RoomState.Roster"/>), the seq and the recent history are folds of the committed events alone, so
/// a replica that applies the same log in the same order holds the same room.
/// </summary>
public static partial class Room
{
    /// <summary>The LEFT reason written for those a killed server left in the room, when it starts again.</summary>
    public const string ServerRestarted = "server restarted";

    /// <summary>The text of the ERROR 503 that refuses SAY while the log cannot commit.</summary>
    public const string LogUnavailable = "the room log is unavailable: message not sent, try again later";

    /// <summary>Asks the log for an append.</summary>
    private static RoomState Append(RoomState state, RoomEvent e, ConnectionId origin, Effects fx)
    {
        if (state.Host.Length == 0)
        {
            fx.Add(new Effect.Append(new Draft(e, fx.At, origin)));
            return state with { Uncommitted = state.Uncommitted + 1 };
        }
        fx.Add(new Effect.Append(new Draft(e, fx.At, origin) { Host = state.Host, Number = state.Appended + 1 }));
        return state with { Uncommitted = state.Uncommitted + 1, Appended = state.Appended + 1 };
    }

    /// <summary>
    /// The log as found at start: the seq goes on from its last, late joiners are shown its newest entries, and
    /// whoever it still has in the room (the server was killed before writing their LEFT) leaves now.
    /// </summary>
    private static RoomState Recovered(RoomState state, Input.Recovered r, Effects fx)
    {
        var key = -r.Log.Present.Count; // before any real seq, in the order given
        var next = state with
        {
            Seq = Math.Max(state.Seq, r.Log.LastSeq), Recent = Newest(r.Log.Recent, state.Settings.HistoryOnJoin), CatchUpTo = r.Log.CatchUpTo,
            Numbers = r.Log.Numbers, NumbersPartial = r.Log.Partial,
        };
        foreach (var member in r.Log.Members)
            if (member.Event is RoomEvent.Joined(var nick) && !next.RosterSeqs.ContainsKey(Syntax.FoldNick(nick)))
                next = Listed(next, member.Seq, nick, member.Host, member.Origin);
        foreach (var nick in r.Log.Present)
            if (!next.RosterSeqs.ContainsKey(Syntax.FoldNick(nick))) next = Listed(next, key++, nick);
        if (!r.Log.Present.IsEmpty)
            fx.Log(Severity.Warning, "the room log says {Count} members were in the room when the server last stopped without saying goodbye: writing their LEFT",
                Str(r.Log.Present.Count));
        foreach (var nick in r.Log.Present) next = Append(next, new RoomEvent.Left(nick, ServerRestarted) { Host = state.Host }, default, fx);
        fx.Log(Severity.Information, "room log: last seq {Seq}, {Recent} recent events", Str(next.Seq), Str(next.Recent.Count));
        return next;
    }

    /// <summary>
    /// Committed events, applied in the log's order. In a cluster they come from every host; only this host's own
    /// were waiting (<see cref="RoomState.Uncommitted"/>).
    /// </summary>
    private static RoomState Committed(RoomState state, Input.Committed c, Effects fx)
    {
        var own = 0; // a host alone: its entries (in a cluster they are counted by number, below)
        string? heard = null; // in a cluster, another host whose entries arrived: it is alive
        foreach (var entry in c.Entries)
        {
            if (entry.Host == state.Host && entry.Seq > state.Seq && entry.Number == 0) own++;
            else if (entry.Host != state.Host && entry.Host != heard) heard = entry.Host;
        }
        var next = state with { Uncommitted = Math.Max(0, state.Uncommitted - own) };
        if (heard is not null) next = HostSeen(next, new Input.HostSeen(heard, c.At));
        if (next.LogDown.Case is string)
        {
            fx.Log(Severity.Warning, "the room log commits again");
            next = next with { LogDown = None };
        }
        // An entry at or below the last seq applied was applied already (a log read again after NATS came back).
        var before = OwnNumber(next);
        foreach (var entry in c.Entries)
            if (entry.Seq > next.Seq) next = Apply(next, entry, fx);
        // In a cluster, this host's appends that were applied: one per number, whatever copies came with them.
        var applied = OwnNumber(next) - before;
        return applied == 0 ? next : next with { Uncommitted = Math.Max(0, next.Uncommitted - (int)applied) };
    }

    private static long OwnNumber(RoomState state) => state.Host.Length == 0 ? 0 : state.Numbers.Find(state.Host).IfNone(0);

    /// <summary>
    /// Whether a numbered entry is its host's next one (<see cref="RoomState.Numbers"/>, <see cref="InTurn.Next"/>): a
    /// copy, or one stored ahead of an earlier one of its host, is not, and changes nothing.
    /// </summary>
    private static bool IsNext(RoomState state, LogEntry entry) =>
        entry.Host.Length == 0
        || InTurn.Next(state.Numbers.Find(entry.Host), entry.Number, anyFirst: state.NumbersPartial && entry.Host != state.Host);

    private static RoomState LogFailed(RoomState state, Input.LogFailed f, Effects fx)
    {
        if (state.LogDown.IsNone)
            fx.Log(Severity.Warning, "the room log cannot commit ({Reason}): nothing is delivered and SAY is refused until it can; {Waiting} events wait",
                f.Reason, Str(state.Uncommitted));
        return state with { LogDown = f.Reason };
    }

    private static RoomState Apply(RoomState state, LogEntry entry, Effects fx)
    {
        // In a cluster, a copy of an entry, or one stored ahead of an earlier one of its host, is not its host's next
        // (IsNext): it takes its seq and nothing else, and its host's writer stores it again in turn.
        // An entry that changes nothing (in a cluster: a JOINED that lost, a LEFT that ends nobody, a MESSAGE whose
        // sender was written out meanwhile) takes its seq and is shown to nobody, nor in the history on joining.
        // One copy of the state on the common path; the skipped entry takes only its seq.
        if (!IsNext(state, entry)) return state with { Seq = Math.Max(state.Seq, entry.Seq) };
        var numbers = entry.Number == 0 ? state.Numbers : state.Numbers.AddOrUpdate(entry.Host, entry.Number);
        var next = state with
        {
            Seq = Math.Max(state.Seq, entry.Seq), Recent = Remembered(state.Recent, entry, state.Settings.HistoryOnJoin), Numbers = numbers,
        };
        RoomState Skipped() => state with { Seq = Math.Max(state.Seq, entry.Seq), Numbers = numbers };
        switch (entry.Event)
        {
            case RoomEvent.Message(var from, var text):
                if (entry.Host.Length > 0 && next.HostOf(Syntax.FoldNick(from)) != entry.Host) return Skipped();
                next = Flushed(next, fx); // who entered and left before it, first
                if (!next.Members.IsEmpty)
                    fx.Add(new Effect.Broadcast(next.Members, new ServerEvent.Message(entry.Seq, from, text) { At = entry.At }));
                return next;
            case RoomEvent.Left(var nick, var reason) left:
            {
                // A member that quit is told BYE, not its own LEFT (see Quit).
                var quitter = Own(next, entry).Filter(s => s.Leaving);
                // Only the membership the LEFT names ends: in a cluster a late LEFT (a host declared lost, or one
                // whose JOINED lost a race) is nobody's and is not shown.
                var folded = Syntax.FoldNick(nick);
                var ends = next.RosterSeqs.ContainsKey(folded) && next.HostOf(folded) == left.Host
                           && (left.Host.Length == 0 || next.RosterOrigins.Find(folded).Exists(o => o == left.Connection));
                if (!ends) return quitter.Match(q => Gone(Skipped(), q, fx), Skipped);
                var unlisted = Unlisted(next, nick);
                var line = new ServerEvent.Left(entry.Seq, nick, reason) { At = entry.At };
                if (quitter.Case is Session q)
                    return Gone(Told(unlisted, unlisted.Members.Remove(q.Id), line, entry.Seq, nick, entered: false, fx), q, fx);
                // A member of this host written out by another one is told BYE instead (see Dropped).
                var dropped = Dropped(unlisted, entry, nick, reason, fx);
                return Told(dropped, dropped.Members, line, entry.Seq, nick, entered: false, fx);
            }
            case RoomEvent.Joined(var nick):
            {
                var joining = Own(next, entry).Filter(s => s.Joining && Syntax.FoldNick(s.Nick) == Syntax.FoldNick(nick));
                // In a cluster two hosts can admit the same nickname at once: the JOINED the log orders first wins
                // everywhere, and the other is nobody's (its session is told the nickname is taken).
                if (next.RosterSeqs.ContainsKey(Syntax.FoldNick(nick)) && next.HostOf(Syntax.FoldNick(nick)) != entry.Host)
                    return joining.Match(j => LostRace(Skipped(), j, fx), Skipped);
                var told = Told(next, next.Members, new ServerEvent.Joined(entry.Seq, nick) { At = entry.At }, entry.Seq, nick, entered: true, fx);
                var listed = Listed(Unlisted(told, nick), entry.Seq, nick, entry.Host, entry.Origin);
                return joining.Match(j => Entered(listed, j, entry.At, fx), () => listed);
            }
            default:
                return next;
        }
    }

    /// <summary>A session whose JOINED is committed enters the room: WELCOME, who is there, and what was said before.</summary>
    private static RoomState Entered(RoomState state, Session session, DateTimeOffset at, Effects fx)
    {
        var member = session with { Phase = Phase.InRoom, Joining = false, Bucket = TokenBucket.Full(state.Settings.RateBurst, at) };
        var next = WithMember(state with { Sessions = state.Sessions.SetItem(session.Id, member) }, member);
        fx.Log(Severity.Information, "joined: {Nick} ({Connection}) is in the room", session.Nick, session.Id.ToString());
        fx.Send(session.Id, new ServerEvent.Welcome(session.Nick));
        next = SendUsers(next, member, fx);
        if (member.Version >= 2 && next.Settings.HistoryOnJoin > 0) SendHistory(member.Id, Newest(next.Recent, next.Settings.HistoryOnJoin), fx);
        return next;
    }

    /// <summary>HISTORY lines for <paramref name="entries"/>, then <c>END HISTORY &lt;n&gt;</c>.</summary>
    private static void SendHistory(ConnectionId to, Seq<LogEntry> entries, Effects fx)
    {
        foreach (var entry in entries)
            if (Event(entry).Case is ServerEvent e) fx.Send(to, new ServerEvent.History(e));
        fx.Send(to, new ServerEvent.End("HISTORY", entries.Count));
    }

    /// <summary>A committed entry as the line that shows it.</summary>
    private static Option<ServerEvent> Event(LogEntry entry) => entry.Event switch
    {
        RoomEvent.Message(var from, var text) => new ServerEvent.Message(entry.Seq, from, text) { At = entry.At },
        RoomEvent.Joined(var nick) => new ServerEvent.Joined(entry.Seq, nick) { At = entry.At },
        RoomEvent.Left(var nick, var reason) => new ServerEvent.Left(entry.Seq, nick, reason) { At = entry.At },
        _ => None,
    };

    /// <summary>
    /// <c>HISTORY BEFORE seq count</c>: read from the log off the room's thread, one read per connection at a time.
    /// The count is capped at <see cref="RoomSettings.MaxHistoryPage"/>; the line was paid for by its size.
    /// </summary>
    private static RoomState History(RoomState state, Session session, Command.History history, Effects fx)
    {
        if (session.ReadingHistory) return Reply(state, session, Busy(state.Settings, "history already being read"), fx);
        var count = Math.Min(history.Count, Math.Max(1, state.Settings.MaxHistoryPage));
        // Never past what the room has applied: the log may already hold events this member is about to get live.
        fx.Add(new Effect.ReadHistory(session.Id, Math.Min(history.Before, state.Seq + 1), count));
        return state with { Sessions = state.Sessions.SetItem(session.Id, session with { ReadingHistory = true }) };
    }

    private static RoomState HistoryRead(RoomState state, Input.HistoryRead h, Effects fx)
    {
        if (state.Sessions.Find(h.Id).Case is not Session { ReadingHistory: true } session) return state;
        SendHistory(h.Id, h.Entries, fx);
        return state with { Sessions = state.Sessions.SetItem(h.Id, session with { ReadingHistory = false }) };
    }

    /// <summary><c>PROTOCOL n</c> before LOGIN: the highest version this server speaks up to n.</summary>
    private static RoomState UseProtocol(RoomState state, Session session, Command.Protocol protocol, Effects fx)
    {
        var version = Math.Min(protocol.Version, ProtocolVersion.Highest);
        fx.Send(session.Id, new ServerEvent.ProtocolSet(version));
        fx.Add(new Effect.UseProtocol(session.Id, version));
        return state with { Sessions = state.Sessions.SetItem(session.Id, session with { Version = version }) };
    }

    /// <summary>The HELLO a connection is greeted with under <paramref name="settings"/>: the limits a client paces itself by.</summary>
    public static ServerEvent.Hello Greeting(RoomSettings settings)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var limits = new List<Limit>
        {
            new("line", settings.MaxLineBytes.ToString(inv)),
            new("text", Syntax.MaxTextBytes.ToString(inv)),
        };
        if (settings.RateLimitEnabled)
        {
            limits.Add(new("burst", settings.RateBurst.ToString(inv)));
            limits.Add(new("rate", settings.RatePerSecond.ToString("0.###", inv)));
        }
        limits.Add(new("history", settings.HistoryOnJoin.ToString(inv)));
        limits.Add(new("page", settings.MaxHistoryPage.ToString(inv)));
        return ServerEvent.Hello.Current with { Limits = limits.ToSeq().Strict() };
    }

    /// <summary>
    /// Lists <paramref name="nick"/> in the roster under the seq of its JOINED. The kept USERS lines follow when the
    /// seq is the roster's newest (a login); otherwise they are dropped and made again when next needed.
    /// </summary>
    private static RoomState Listed(RoomState state, long seq, string nick, string host = "", ConnectionId origin = default) =>
        Listing(state.Roster.Max.Exists(newest => newest.Key >= seq) ? state with { UsersLines = Empty } : UsersAppended(state, nick),
            seq, nick, host, origin);

    private static RoomState Listing(RoomState state, long seq, string nick, string host, ConnectionId origin) => state with
    {
        RosterOrigins = host.Length == 0 ? state.RosterOrigins : state.RosterOrigins.AddOrUpdate(Syntax.FoldNick(nick), origin),
        Roster = state.Roster.AddOrUpdate(seq, nick),
        RosterSeqs = state.RosterSeqs.AddOrUpdate(Syntax.FoldNick(nick), seq),
        RosterBytes = state.RosterBytes + RosterSize(nick),
        RosterHosts = host.Length == 0 ? state.RosterHosts : state.RosterHosts.AddOrUpdate(Syntax.FoldNick(nick), host),
        RosterShapes = host.Length == 0 || host == state.Host ? state.RosterShapes : Reshaped(state.RosterShapes, nick, add: true),
    };

    private static RoomState Unlisted(RoomState state, string nick) =>
        state.RosterSeqs.Find(Syntax.FoldNick(nick)).Case is long seq && state.Roster.Find(seq).Case is string listed
            ? state with
            {
                UsersLines = Empty,
                Roster = state.Roster.Remove(seq),
                RosterSeqs = state.RosterSeqs.Remove(Syntax.FoldNick(nick)),
                RosterBytes = state.RosterBytes - RosterSize(listed),
                RosterHosts = state.RosterHosts.IsEmpty ? state.RosterHosts : state.RosterHosts.Remove(Syntax.FoldNick(nick)),
                RosterOrigins = state.RosterOrigins.IsEmpty ? state.RosterOrigins : state.RosterOrigins.Remove(Syntax.FoldNick(nick)),
                RosterShapes = state.RosterShapes.IsEmpty ? state.RosterShapes : Reshaped(state.RosterShapes, listed, add: false),
            }
            : state;

    /// <summary>The session a committed entry was appended for, when the entry is this host's own.</summary>
    private static Option<Session> Own(RoomState state, LogEntry entry) =>
        entry.Host == state.Host ? state.Sessions.Find(entry.Origin) : None;

    /// <summary>
    /// The recent events with one more. They are kept up to twice the history shown and then cut back to it, so
    /// that remembering an event costs O(1) amortised: cutting on every event (Tail, then Add) built LanguageExt
    /// sequences on sequences, and a busy room slowed down with every message it carried.
    /// </summary>
    private static Seq<LogEntry> Remembered(Seq<LogEntry> recent, LogEntry entry, int keep)
    {
        if (keep <= 0) return recent;
        var added = recent.Add(entry);
        return added.Count > 2 * keep ? Newest(added, keep) : added;
    }

    /// <summary>The newest <paramref name="keep"/> entries, copied into a sequence of their own.</summary>
    private static Seq<LogEntry> Newest(Seq<LogEntry> entries, int keep)
    {
        if (keep <= 0) return LanguageExt.Seq<LogEntry>.Empty;
        if (entries.Count <= keep) return entries;
        var newest = new LogEntry[keep];
        var i = 0;
        foreach (var entry in entries.Skip(entries.Count - keep)) newest[i++] = entry;
        return toSeq(newest);
    }
}
