using ChatRoom.Core.Log;
using ChatRoom.Core.Room;

namespace ChatRoom.Host.Tests.Log;

/// <summary>Drafts and log files for the room log's tests.</summary>
internal static class LogFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    public static Draft Said(string nick, string text, int second = 0) =>
        new(new RoomEvent.Message(nick, text), T0.AddSeconds(second), new ConnectionId(7));

    public static Draft Came(string nick, int second = 0) => new(new RoomEvent.Joined(nick), T0.AddSeconds(second), new ConnectionId(7));

    public static Draft Went(string nick, string reason = "", int second = 0) =>
        new(new RoomEvent.Left(nick, reason), T0.AddSeconds(second), new ConnectionId(7));

    public static Draft[] Messages(int count, int fromSecond = 0) =>
        Enumerable.Range(0, count).Select(i => Said("alice", $"message {i}", fromSecond + i)).ToArray();

    public static SqliteRoomLog Open(TempDir dir) => SqliteRoomLog.Open(dir.File("data/room.db")).ThrowIfFail();

    public static long[] Seqs(IEnumerable<LogEntry> entries) => entries.Select(e => e.Seq).ToArray();

    public static long[] Range(long from, long to) => Enumerable.Range(0, (int)(to - from + 1)).Select(i => from + i).ToArray();
}
