using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

public static partial class Room
{
    /// <summary>The BYE reason for a connection that kept sending past its rate limit.</summary>
    public const string Flooding = "flooding";

    /// <summary>
    /// What a line costs: QUIT nothing (it is the way out), WHO one token plus one per
    /// <see cref="RoomSettings.WhoBytesPerToken"/> bytes of its answer, HISTORY one plus one per
    /// <see cref="RoomSettings.HistoryEventsPerToken"/> events asked for (both at most the burst, so that a large
    /// answer stays affordable), every other line one, whether it decoded or not.
    /// </summary>
    private static double Cost(RoomState state, Fin<Command> line)
    {
        var settings = state.Settings;
        return line.Case switch
        {
            Command.Quit => 0,
            Command.Who => Math.Min(settings.RateBurst, 1 + state.RosterBytes / Math.Max(1, settings.WhoBytesPerToken)),
            Command.History h => Math.Min(settings.RateBurst,
                1 + Math.Min(h.Count, settings.MaxHistoryPage) / Math.Max(1, settings.HistoryEventsPerToken)),
            _ => 1,
        };
    }

    private static ServerEvent TooFastError(RoomSettings settings) =>
        new ServerEvent.Error(ErrorCodes.TooFast,
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"too fast: at most {settings.RateBurst} lines at once, then {settings.RatePerSecond} per second"));

    /// <summary>The bytes a member's nick takes in a USERS line, with its space.</summary>
    private static long RosterSize(string nick) => 1 + System.Text.Encoding.UTF8.GetByteCount(nick);
}
