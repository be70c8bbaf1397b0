using ChatRoom.Core.Protocol;
using Room = ChatRoom.Core.Room;

namespace ChatRoom.Client.Session;

public static partial class ClientSession
{
    /// <summary>
    /// Handles pending lines in order, for as long as the client is in the room, no <c>/wait</c> holds them and
    /// it is not leaving. When input has ended and nothing is left, it leaves.
    /// </summary>
    private static ClientState Drain(ClientState state, DateTimeOffset at, List<ClientEffect> fx)
    {
        while (state.Phase == ClientPhase.InRoom && state.Wait.IsNone && !state.Quitting)
        {
            if (state.Pending.IsEmpty)
            {
                if (state.InputEnded) state = Leave(state, "", fx);
                break;
            }
            var line = state.Pending.Head;
            state = Perform(state with { Pending = state.Pending.Tail }, UserCommands.Parse(line), at, fx);
        }
        return state;
    }

    private static ClientState Perform(ClientState state, UserCommand command, DateTimeOffset at, List<ClientEffect> fx) =>
        command switch
        {
            UserCommand.Say say => Syntax.IsValidText(say.Text)
                ? Sent(state, new Command.Say(say.Text), fx)
                : Refused(state, ProtocolErrors.InvalidText.Code, ProtocolErrors.InvalidText.Message, at, fx),
            UserCommand.Msg msg when !Syntax.IsValidNick(msg.To) =>
                Refused(state, ProtocolErrors.InvalidNick.Code, ProtocolErrors.InvalidNick.Message, at, fx),
            UserCommand.Msg msg => Syntax.IsValidText(msg.Text)
                ? Sent(state, new Command.Whisper(msg.To, msg.Text), fx)
                : Refused(state, ProtocolErrors.InvalidText.Code, ProtocolErrors.InvalidText.Message, at, fx),
            UserCommand.Who => Sent(state, new Command.Who(), fx),
            UserCommand.Quit quit => Leave(state, quit.Reason, fx),
            UserCommand.Help => Noticed(state, UserCommands.HelpText, fx),
            // The same rule the server applies to LOGIN in the room (ERROR 403), answered without a round trip.
            UserCommand.ChangeIdentity when LoginInRoom is Room.Rule.Refuse refuse =>
                Refused(state, refuse.Code, refuse.Text, at, fx),
            UserCommand.Wait wait => StartWait(state, wait, fx),
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
    private static ClientState StartWait(ClientState state, UserCommand.Wait wait, List<ClientEffect> fx)
    {
        var index = 0;
        foreach (var text in state.Backlog)
        {
            if (Matches(wait.Pattern, text))
                return state with { Backlog = state.Backlog.Take(index).Concat(state.Backlog.Skip(index + 1)).ToSeq().Strict() };
            index++;
        }

        fx.Add(new ClientEffect.StartTimer(state.NextTimer, wait.Timeout));
        return state with
        {
            Wait = new PendingWait(wait.Pattern, wait.Timeout, state.NextTimer),
            NextTimer = state.NextTimer + 1,
        };
    }

    private static ClientState Sent(ClientState state, Command command, List<ClientEffect> fx)
    {
        fx.Add(new ClientEffect.Send(command));
        return state;
    }

    private static ClientState Noticed(ClientState state, string text, List<ClientEffect> fx)
    {
        fx.Add(new ClientEffect.Notice(text));
        return state;
    }

    /// <summary>A line the client refuses itself, shown like the server's ERROR (so <c>/wait</c> can see it too).</summary>
    private static ClientState Refused(ClientState state, int code, string text, DateTimeOffset at, List<ClientEffect> fx) =>
        Shown(state, new ServerEvent.Error(code, text), at, fx);
}
