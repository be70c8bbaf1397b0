using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

public static partial class Room
{
    /// <summary>The BYE reason for a connection that kept sending past its rate limit.</summary>
    public const string Flooding = "flooding";

    /// <summary>
    /// What a line costs in rate-limit tokens: its verb's cost (see <see cref="Verbs"/>), or one for a line that did
    /// not decode.
    /// </summary>
    private static double Cost(RoomState state, Fin<Command> line) =>
        line.Case is Command command && Verb.Of(command) is { } verb ? verb.Cost(state, command) : 1;

    private static ServerEvent TooFastError(RoomSettings settings) =>
        new ServerEvent.Error(ErrorCodes.TooFast,
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"too fast: at most {settings.RateBurst} lines at once, then {settings.RatePerSecond} per second"));

    /// <summary>The bytes a member's nick takes in a USERS line, with its space.</summary>
    private static long RosterSize(string nick) => 1 + System.Text.Encoding.UTF8.GetByteCount(nick);
}
