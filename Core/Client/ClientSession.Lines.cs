using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;

namespace ChatRoom.Core.Client;

public static partial class ClientSession
{
    /// <summary>
    /// Handles pending lines in order, for as long as the client is in the room, no <c>/wait</c> holds them and
    /// it is not leaving (nor logging out: <c>/logout</c> holds the next lines until FORGOTTEN, then leaves). When input has ended and nothing is left, it leaves.
    /// </summary>
    private static ClientState Drain(ClientState state, DateTimeOffset at, List<ClientEffect> fx)
    {
        if (state.Departing.Case is Departure departure && !state.Quitting && state.Unechoed == 0)
            return Leave(state, departure.Reason, at, fx);
        while (state.Phase == ClientPhase.InRoom && state.Wait.IsNone && state.PaceDeadline.IsNone && !state.Quitting && !state.LoggingOut
               && !state.AwaitingToken && state.Departing.IsNone && !HoldsForVerdict(state))
        {
            if (state.Pending.IsEmpty)
            {
                if (state.InputEnded) state = Depart(state, "", at, fx);
                break;
            }
            var line = state.Pending.Head;
            var command = UserCommands.Parse(line.Text);
            if (IsRateLimited(command) && Pacing.TrySpend(state.Bucket, at, state.Limits).Case is not TokenBucket)
                return Paced(state, at);
            state = Perform(state with { Pending = state.Pending.Tail, CurrentLine = line.Number }, command, at, fx) with { CurrentLine = 0 };
        }
        return state;
    }

    /// <summary>
    /// Under <c>--strict</c> a script sends a line only once the one before it was answered (its echo, its copy, its
    /// list, or an ERROR), so that nothing after a refused line goes out.
    /// </summary>
    private static bool HoldsForVerdict(ClientState state) =>
        state.Strict && state.Scripted && state.Outstanding.Exists(o => !o.Accepted);

    /// <summary>
    /// Sends a SAY or WHISPER the server will take: a valid text, within the text limit and the line limit the
    /// server announced (the room's defaults with a protocol 1 server), or refuses it here.
    /// </summary>
    private static ClientState Checked(ClientState state, Command command, string text, DateTimeOffset at, List<ClientEffect> fx)
    {
        if (!Syntax.IsValidText(text))
            return Refused(state, ProtocolErrors.InvalidText.Code, ProtocolErrors.InvalidText.Message, at, fx);
        if (System.Text.Encoding.UTF8.GetByteCount(text) > state.Limits.Text)
            return Refused(state, ProtocolErrors.InvalidText.Code, $"text too long: this server takes at most {state.Limits.Text} bytes", at, fx);
        var bytes = CommandCodec.Encode(command).Map(line => System.Text.Encoding.UTF8.GetByteCount(line) + 1).IfFail(int.MaxValue);
        if (bytes > state.Limits.Line)
        {
            var tooLong = ProtocolErrors.LineTooLong(state.Limits.Line);
            return Refused(state, tooLong.Code, tooLong.Message, at, fx);
        }
        return SentPaced(state, command, at, fx);
    }

    /// <summary>SAY and WHISPER count against the server's rate limit; so the client counts them too.</summary>
    private static bool IsRateLimited(UserCommand command) => command is UserCommand.Say or UserCommand.Msg;

    /// <summary>Holds the next line until the bucket has a token again.</summary>
    private static ClientState Paced(ClientState state, DateTimeOffset at) =>
        state with { PaceDeadline = at + Pacing.UntilNextToken(state.Bucket, at, state.Limits) };

    private static ClientState Perform(ClientState state, UserCommand command, DateTimeOffset at, List<ClientEffect> fx) =>
        command switch
        {
            UserCommand.Say say => Checked(state, new Command.Say(say.Text), say.Text, at, fx),
            UserCommand.Msg msg when !Syntax.IsValidNick(msg.To) =>
                Refused(state, ProtocolErrors.InvalidNick.Code, ProtocolErrors.InvalidNick.Message, at, fx),
            UserCommand.Msg msg => Checked(state, new Command.Whisper(msg.To, msg.Text), msg.Text, at, fx),
            UserCommand.History history => PageBack(state, history, at, fx),
            UserCommand.Who => Sent(state, new Command.Who(), fx),
            UserCommand.Quit quit => Depart(state, quit.Reason, at, fx),
            UserCommand.Logout => Sent(state with { LoggingOut = true }, new Command.Forget(), fx),
            UserCommand.Help => Noticed(state, UserCommands.HelpText, fx),
            // The same rule the server applies to LOGIN in the room (ERROR 403), answered without a round trip.
            UserCommand.ChangeIdentity when LoginInRoom is Room.Rule.Refuse refuse =>
                Refused(state, refuse.Code, refuse.Text, at, fx),
            // Typed by a person, a /wait would only hold their next lines and end the session when it ran out.
            UserCommand.Wait when !state.Scripted => Refused(state, ErrorCodes.Malformed,
                "/wait is for scripts (lines read from a file or a pipe, or --batch); here, just watch for the answer", at, fx),
            UserCommand.Wait wait => StartWait(state, wait, at),
            UserCommand.Malformed { Command: "/wait" } bad when state.Scripted =>
                Exit(state, ExitCodes.Usage, $"script error: {bad.Problem}", fx),
            UserCommand.Malformed bad => Refused(state, ErrorCodes.Malformed, bad.Problem, at, fx),
            UserCommand.Unknown unknown =>
                Refused(state, ErrorCodes.Malformed, $"unknown command {unknown.Name}; /help lists the commands", at, fx),
            _ => state,
        };

    /// <summary>
    /// A <c>/wait</c> is satisfied by the earliest event that no earlier <c>/wait</c> used and whose text matches,
    /// so it cannot miss an event that arrived before the script got there; that one event is used up. When there
    /// is none yet, it holds the following lines until a new event matches or its timer runs out.
    /// </summary>
    private static ClientState StartWait(ClientState state, UserCommand.Wait wait, DateTimeOffset at)
    {
        var index = 0;
        if (wait.IncludeHistory)
        {
            var h = 0;
            foreach (var text in state.HistoryBacklog)
            {
                if (Matches(wait.Pattern, text))
                {
                    var usedHistory = h;
                    return state with { HistoryBacklog = state.HistoryBacklog.Where((_, i) => i != usedHistory).ToSeq().Strict() };
                }
                h++;
            }
        }
        foreach (var text in state.Backlog)
        {
            if (Matches(wait.Pattern, text))
            {
                // Every event but this one, by index (Seq's own Concat nests its generic types without end, which
                // the NativeAOT compiler cannot build).
                var used = index;
                return state with { Backlog = state.Backlog.Where((_, i) => i != used).ToSeq().Strict() };
            }
            index++;
        }

        return state with { Wait = new PendingWait(wait.Pattern, wait.Timeout, at + wait.Timeout, wait.IncludeHistory) };
    }

    private static ClientState Sent(ClientState state, Command command, List<ClientEffect> fx)
    {
        fx.Add(new ClientEffect.Send(command));
        Option<Awaits> awaits = command switch
        {
            Command.Say => Awaits.Echo,
            Command.Whisper => Awaits.WhisperCopy,
            Command.Who => Awaits.Users,
            Command.History => Awaits.History,
            Command.Forget => Awaits.Forgotten,
            _ => None,
        };
        return awaits.Case is Awaits kind && state.CurrentLine > 0
            ? state with { Outstanding = Bounded(state.Outstanding.Add(new Outstanding(state.CurrentLine, kind))) }
            : state;
    }

    /// <summary>At most <see cref="MaxOutstanding"/> commands are remembered: a server that never answers cannot fill memory.</summary>
    private static Seq<Outstanding> Bounded(Seq<Outstanding> outstanding) =>
        outstanding.Count > MaxOutstanding ? outstanding.Tail.Strict() : outstanding;

    /// <summary>Most commands awaiting an answer the client remembers.</summary>
    public const int MaxOutstanding = 10_000;

    /// <summary>Sends a SAY or WHISPER and spends its token (Drain has checked there is one); a SAY awaits its echo.</summary>
    private static ClientState SentPaced(ClientState state, Command command, DateTimeOffset at, List<ClientEffect> fx) =>
        Sent(state with
        {
            Bucket = Pacing.TrySpend(state.Bucket, at, state.Limits).IfNone(state.Bucket),
            Unechoed = command is Command.Say ? state.Unechoed + 1 : state.Unechoed,
        }, command, fx);

    /// <summary>
    /// Leaves at the end of the input or on <c>/quit</c>. A protocol 2 server delivers a SAY once its room log has
    /// committed it, which may be after a QUIT sent at once has taken the client out of the room; so the client
    /// first waits (at most <see cref="ByeTimeout"/>) for the echo of every SAY it sent, or the error refusing it.
    /// </summary>
    private static ClientState Depart(ClientState state, string reason, DateTimeOffset at, List<ClientEffect> fx) =>
        state.Protocol < 2 || state.Unechoed == 0
            ? Leave(state, reason, at, fx)
            : state with { Departing = new Departure(reason, at + ByeTimeout) };

    private static ClientState Noticed(ClientState state, string text, List<ClientEffect> fx)
    {
        fx.Add(new ClientEffect.Notice(text));
        return state;
    }

    /// <summary>
    /// A line the client refuses itself, shown like the server's ERROR (so <c>/wait</c> can see it too), marked as the
    /// client's and with the number of the line.
    /// </summary>
    private static ClientState Refused(ClientState state, int code, string text, DateTimeOffset at, List<ClientEffect> fx) =>
        RefusedLine(state, new ServerEvent.Error(code, text), ErrorSource.Client, state.CurrentLine, at, fx);

    /// <summary>
    /// Shows an ERROR with where it came from and the line it refused (0: none known). Under <c>--strict</c> the first
    /// refused line of a script ends the run: the client leaves, and exits with <see cref="ExitCodes.LineRefused"/>.
    /// </summary>
    private static ClientState RefusedLine(ClientState state, ServerEvent.Error error, ErrorSource source, int line, DateTimeOffset at, List<ClientEffect> fx)
    {
        var shown = Shown(state, error, at, fx, source, line);
        if (!state.Strict || !state.Scripted || line <= 0 || state.Refusal.IsSome || state.Quitting) return shown;
        return Leave(shown with { Refusal = (line, error.Text), Pending = Empty }, "", at, fx);
    }
}
