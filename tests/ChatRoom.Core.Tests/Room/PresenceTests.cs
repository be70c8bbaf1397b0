using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

/// <summary>Presence in a large room: PRESENCE lines for members of protocol 3 (docs/PROTOCOL.md, "Presence in a large room").</summary>
public class PresenceTests
{
    private static readonly RoomSettings Large = RoomSettings.Default with { PresenceBatchAt = 3, RateLimitEnabled = false };

    private static Scenario Speaking3(Scenario room, long id, string nick) =>
        room.Open(id).Line(id, "PROTOCOL 3").Line(id, $"LOGIN {nick} pw").Verdict(id, nick, AuthVerdict.Accepted);

    [Fact]
    public void In_a_small_room_members_of_protocol_3_get_each_joined_at_once()
    {
        var room = Speaking3(Given(Large), 1, "ann");
        Speaking3(room, 2, "bob");
        Assert.Equal(["JOINED 2 bob"], room.Lines(1));
    }

    [Fact]
    public void In_a_large_room_joins_are_gathered_until_the_tick_and_classic_members_get_each_one()
    {
        var room = Speaking3(Given(Large), 1, "ann");
        Speaking3(room, 2, "bob");
        room.LoggedIn(3, "old"); // protocol 1
        Speaking3(room, 4, "cat");
        Assert.Empty(room.Lines(1));
        Assert.Equal(["JOINED 4 cat"], room.Lines(3));
        Speaking3(room, 5, "dan");
        Assert.Empty(room.Lines(2));
        room.Tick();
        Assert.Equal(["PRESENCE 5 +cat +dan"], room.Lines(1));
        Assert.Equal(["PRESENCE 5 +cat +dan"], room.Lines(4)); // its own entry changes nothing for it
        Assert.Empty(room.Lines(3));
        room.Tick();
        Assert.Empty(room.Lines(1)); // nothing new
    }

    [Fact]
    public void Gathered_changes_go_out_before_the_next_message_so_no_member_sees_the_log_out_of_order()
    {
        var room = Speaking3(Given(Large), 1, "ann");
        Speaking3(room, 2, "bob");
        Speaking3(room, 3, "cat");
        Speaking3(room, 4, "dan");
        room.Close(2);
        room.Line(1, "SAY hi");
        Assert.Equal(["PRESENCE 5 +dan -bob", "MESSAGE 6 ann hi"], room.Lines(3));
    }

    [Fact]
    public void A_nick_that_joins_and_leaves_within_one_line_is_only_said_to_have_left()
    {
        var room = Speaking3(Given(Large), 1, "ann");
        Speaking3(room, 2, "bob");
        Speaking3(room, 3, "cat");
        Speaking3(room, 4, "dan");
        room.Close(4);
        room.Tick();
        Assert.Equal(["PRESENCE 5 -dan"], room.Lines(1));
    }

    [Fact]
    public void A_line_holds_at_most_the_batch_and_goes_out_when_full()
    {
        var room = Given(Large with { PresenceBatchMax = 2 });
        for (var i = 1; i <= 3; i++) Speaking3(room, i, $"u{i}");
        Speaking3(room, 4, "u4");
        Assert.Empty(room.Lines(1));
        Speaking3(room, 5, "u5");
        Assert.Equal(["PRESENCE 5 +u4 +u5"], room.Lines(1));
    }

    [Fact]
    public void Presence_lines_round_trip_and_bad_ones_are_refused()
    {
        var e = new ServerEvent.Presence(12, LanguageExt.Seq.create("ann", "-x"), LanguageExt.Seq.create("bob"));
        Assert.Equal("PRESENCE 12 +ann +-x -bob", EventCodec.Encode(e, 3).ThrowIfFail());
        Assert.Equal(e, EventCodec.Decode("PRESENCE 12 +ann +-x -bob", 3).ThrowIfFail());
        foreach (var bad in new[] { "PRESENCE", "PRESENCE 12", "PRESENCE x +a", "PRESENCE 1 a", "PRESENCE 1 +a -a", "PRESENCE 1 +", "PRESENCE 1 +a b" })
            Assert.True(EventCodec.Decode(bad, 3).IsFail, bad);
        Assert.True(EventCodec.Encode(new ServerEvent.Presence(1, default, default), 3).IsFail);
    }
}
