using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Client;

public static partial class ClientSession
{
    /// <summary>The transcript line before a block of history.</summary>
    public const string EarlierMark = "— earlier —";

    /// <summary>The transcript line after a block of history, where live events go on.</summary>
    public const string NowMark = "— now —";

    /// <summary>Most events the client asks for, beyond the history after joining, to show what it missed while away.</summary>
    public const int MaxCatchUp = 500;

    /// <summary>Most live events held back while the history after joining is read; past it they are shown at once.</summary>
    public const int MaxHeld = 10_000;

    /// <summary>How many events <c>/history</c> asks for when not told (the server's page caps it).</summary>
    public const int DefaultHistoryCount = 20;

    /// <summary>How long the client waits for a block of history to end before it shows what came.</summary>
    public static readonly TimeSpan HistoryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A HISTORY line. Outside any read, it starts the block a protocol 2 server sends after WELCOME, unasked.
    /// Entries are kept until <c>END HISTORY</c> so that a block can be filtered, completed by paging back, and
    /// shown in one piece.
    /// </summary>
    private static ClientState OnHistory(ClientState state, ServerEvent.History h, DateTimeOffset at, List<ClientEffect> fx)
    {
        if (h.Event is not (ServerEvent.Joined or ServerEvent.Left or ServerEvent.Message)) return state;
        if (state.Reading.Case is HistoryRead reading)
            return state with { Reading = reading with { Block = Bounded(reading.Block.Add(h.Event)) } };
        return state with
        {
            Reading = new HistoryRead(HistoryPurpose.Join, Seq1(h.Event), Empty, at + HistoryTimeout, MaxCatchUp) { Missed = state.CatchingUp },
            CatchingUp = false,
        };
    }

    /// <summary>
    /// <c>END HISTORY n</c>: the block is complete. After a reconnect, entries the client saw before are left out,
    /// and while the oldest entry is still newer than the one after the last seen, it pages back (at most
    /// <see cref="MaxCatchUp"/> events); then the whole read is shown.
    /// </summary>
    private static ClientState OnHistoryEnd(ClientState state, long count, DateTimeOffset at, List<ClientEffect> fx)
    {
        if (state.Reading.Case is not HistoryRead reading) return state;
        var block = reading.Block;
        var lastSeen = state.LastSeen;
        // A log whose newest entry is older than the last seen means the server's log started again: everything is new.
        var restarted = !block.IsEmpty && SeqOf(block.Last) < lastSeen;
        // The history after joining ends with the client's own JOINED, which is news to nobody: it is counted as
        // seen, not shown.
        if (reading.Purpose == HistoryPurpose.Join && !block.IsEmpty && block.Last is ServerEvent.Joined own
            && Syntax.FoldNick(own.Nick) == Syntax.FoldNick(state.Nick))
        {
            state = state with { LastSeen = Math.Max(state.LastSeen, own.Seq) };
            reading = reading with { Oldest = Math.Min(own.Seq, reading.Oldest.IfNone(long.MaxValue)) };
            block = block.Init.Strict();
        }
        var since = reading.Purpose switch
        {
            HistoryPurpose.Join => restarted ? 0 : lastSeen,
            HistoryPurpose.CatchUp => reading.Since,
            _ => 0,
        };
        var oldest = block.IsEmpty ? reading.Oldest : Math.Min(SeqOf(block.Head), reading.Oldest.IfNone(long.MaxValue));
        var next = reading with
        {
            Block = Empty,
            Found = Concatenated(block.Filter(e => SeqOf(e) > since), reading.Found),
            Oldest = oldest,
            Since = since,
        };
        var gap = oldest.Case is long o && reading.Purpose != HistoryPurpose.Page && since > 0 && count > 0 ? o - since - 1 : 0;
        if (gap <= 0) return Finish(state, next, 0, at, fx);
        if (next.Budget <= 0) return Finish(state, next, gap, at, fx);

        var ask = (int)Math.Min(Math.Min(state.Limits.Page, next.Budget), gap);
        fx.Add(new ClientEffect.Send(new Command.History((long)oldest, ask)));
        return state with
        {
            Reading = next with { Purpose = HistoryPurpose.CatchUp, Budget = next.Budget - ask, Deadline = at + HistoryTimeout },
        };
    }

    /// <summary>The server did not end the block in time: what came is shown, and the live events held with it.</summary>
    private static ClientState HistoryTimedOut(ClientState state, HistoryRead reading, DateTimeOffset at, List<ClientEffect> fx)
    {
        fx.Add(new ClientEffect.Notice($"the server did not finish sending history within {HistoryTimeout.TotalSeconds:0} s; showing what came"));
        return Finish(state, reading with { Found = Concatenated(reading.Block, reading.Found), Block = Empty }, 0, at, fx);
    }

    /// <summary>
    /// Shows a read: <see cref="EarlierMark"/>, its entries oldest first, <see cref="NowMark"/>; says how much was
    /// missed beyond it; then the live events held meanwhile.
    /// </summary>
    private static ClientState Finish(ClientState state, HistoryRead reading, long missed, DateTimeOffset at, List<ClientEffect> fx)
    {
        var next = state with
        {
            Reading = None,
            Held = Empty,
            OldestSeen = reading.Oldest.Case is long o ? Math.Min(o, state.OldestSeen.IfNone(long.MaxValue)) : state.OldestSeen,
        };
        if (reading.Found.IsEmpty && reading.Purpose == HistoryPurpose.Page)
            fx.Add(new ClientEffect.Notice("no earlier history"));
        if (!reading.Found.IsEmpty)
        {
            fx.Add(new ClientEffect.Separator(EarlierMark));
            foreach (var e in reading.Found) next = ShownHistory(next, e, at, reading.Missed, fx);
            fx.Add(new ClientEffect.Separator(NowMark));
        }
        if (missed > 0)
            fx.Add(new ClientEffect.Notice(
                $"more was missed than shown: about {missed} earlier events (the client catches up at most {MaxCatchUp}); /history pages back"));
        foreach (var e in state.Held) next = Shown(Answered(Echoed(next, e), e), e, at, fx);
        return next;
    }

    /// <summary>
    /// Shows a history event; only a <c>/wait --history</c> can use it, unless it was <paramref name="missed"/> while
    /// the connection was down in this run: that happened during the script, so any <c>/wait</c> can.
    /// </summary>
    private static ClientState ShownHistory(ClientState state, ServerEvent e, DateTimeOffset at, bool missed, List<ClientEffect> fx)
    {
        fx.Add(new ClientEffect.Show(e, state.Nick, at) { History = true, Missed = missed });
        var seen = state with { LastSeen = Math.Max(state.LastSeen, SeqOf(e)) };
        return EventText.Of(e, state.Nick).Match(
            None: () => seen,
            Some: text => missed
                ? seen.Wait.Exists(wait => Matches(wait.Pattern, text)) ? seen with { Wait = None } : seen with { Backlog = Keep(seen.Backlog.Add(text)) }
                : seen.Wait.Exists(wait => wait.History && Matches(wait.Pattern, text))
                ? seen with { Wait = None }
                : seen with { HistoryBacklog = KeepHistory(seen.HistoryBacklog.Add(text)) });
    }

    /// <summary><c>/history [n]</c>: the n events before the oldest seen (the newest, when none was seen yet).</summary>
    private static ClientState PageBack(ClientState state, UserCommand.History history, DateTimeOffset at, List<ClientEffect> fx)
    {
        if (state.Protocol < 2)
            return Refused(state, ErrorCodes.Malformed, "/history needs a server that speaks protocol 2; this one speaks protocol 1", at, fx);
        if (state.Reading.IsSome) return Refused(state, ErrorCodes.Busy, "/history: the history is still being received", at, fx);
        var before = state.OldestSeen.IfNone(long.MaxValue);
        if (before <= 1) return Noticed(state, "no earlier history", fx);
        state = Sent(state, new Command.History(before, Math.Min(history.Count, state.Limits.Page)), fx);
        return state with { Reading = new HistoryRead(HistoryPurpose.Page, Empty, Empty, at + HistoryTimeout, 0) };
    }

    /// <summary>True while the history after joining is read: live room events wait for it, to keep the order.</summary>
    private static bool HoldsLive(ClientState state) => state.Reading.Exists(r => r.Purpose != HistoryPurpose.Page);

    private static long SeqOf(ServerEvent e) => e switch
    {
        ServerEvent.Joined j => j.Seq,
        ServerEvent.Left l => l.Seq,
        ServerEvent.Message m => m.Seq,
        _ => 0,
    };

    /// <summary>
    /// <paramref name="older"/> then <paramref name="newer"/> (through a list: Seq's own Concat nests its generic
    /// types without end, which the NativeAOT compiler cannot build).
    /// </summary>
    private static Seq<T> Concatenated<T>(Seq<T> older, Seq<T> newer)
    {
        var all = new List<T>(older.Count + newer.Count);
        all.AddRange(older);
        all.AddRange(newer);
        return all.ToSeq().Strict();
    }

    /// <summary>A block longer than the client would ever ask for keeps its newest entries (a server cannot fill memory).</summary>
    private static Seq<ServerEvent> Bounded(Seq<ServerEvent> block) =>
        block.Count > MaxCatchUp + 1000 ? block.Tail.Strict() : block;

    private static Seq<string> KeepHistory(Seq<string> backlog) =>
        backlog.Count > ClientState.MaxHistoryBacklog ? backlog.Tail.Strict() : backlog;
}
