using ChatRoom.Core.Log;

namespace ChatRoom.Core.Tests.Room;

/// <summary>History pages and exports leave out what the hosts did not apply (<see cref="InTurn"/>).</summary>
public class InTurnTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private static LogEntry E(long seq, string host, long number, string text) =>
        new(seq, T0, new RoomEvent.Message("ann", text), default) { Host = host, Number = number };

    [Fact]
    public void Copies_and_entries_ahead_of_their_turn_are_left_out_and_unnumbered_entries_kept()
    {
        LogEntry[] stretch =
        [
            E(10, "a", 5, "five"), E(11, "b", 1, "b one"), E(12, "a", 7, "seven ahead"), E(13, "a", 6, "six"),
            E(14, "a", 6, "six again"), E(15, "a", 7, "seven"), new(16, T0, new RoomEvent.Message("ann", "alone"), default),
        ];
        Assert.Equal([10L, 11, 13, 15, 16], InTurn.Only(stretch).Select(e => e.Seq));
    }
}
