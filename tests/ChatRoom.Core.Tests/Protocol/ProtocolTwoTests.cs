using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Tests.Protocol;

/// <summary>Protocol 2's lines: exact wire texts first, then round trips, and that protocol 1 lines keep their meaning.</summary>
[Properties(Arbitrary = [typeof(ProtocolArbitraries)])]
public class ProtocolTwoTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 4, 18, 9, 123, TimeSpan.Zero);

    public static TheoryData<string, ServerEvent> Events => new()
    {
        { "JOINED 5 2026-12-02T04:18:09.123Z bob", new ServerEvent.Joined(5, "bob") { At = At } },
        { "LEFT 7 2026-12-02T04:18:09.123Z bob quit", new ServerEvent.Left(7, "bob", "quit") { At = At } },
        { "LEFT 7 2026-12-02T04:18:09.123Z bob", new ServerEvent.Left(7, "bob", "") { At = At } },
        { "MESSAGE 42 2026-12-02T04:18:09.123Z alice hi there", new ServerEvent.Message(42, "alice", "hi there") { At = At } },
        { "HISTORY MESSAGE 41 2026-12-02T04:18:09.123Z alice earlier", new ServerEvent.History(new ServerEvent.Message(41, "alice", "earlier") { At = At }) },
        { "HISTORY JOINED 40 2026-12-02T04:18:09.123Z alice", new ServerEvent.History(new ServerEvent.Joined(40, "alice") { At = At }) },
        { "END USERS 3", new ServerEvent.End("USERS", 3) },
        { "END HISTORY 0", new ServerEvent.End("HISTORY", 0) },
        { "PROTOCOL 2", new ServerEvent.ProtocolSet(2) },
        { "USERS alice bob", new ServerEvent.Users(Seq("alice", "bob")) },
    };

    [Theory, MemberData(nameof(Events))]
    public void Protocol_2_event_has_exact_wire_text(string wire, ServerEvent e)
    {
        Assert.Equal(wire, EventCodec.Encode(e, 2).ThrowIfFail());
        Assert.Equal(wire + "\n", System.Text.Encoding.UTF8.GetString(EventCodec.EncodeLine(e, 2).ThrowIfFail()));
        Assert.Equal(e, EventCodec.Decode(wire, 2).ThrowIfFail());
    }

    [Fact]
    public void Hello_announces_its_limits_and_a_client_reads_them_by_name()
    {
        var hello = ServerEvent.Hello.Current with { Limits = Seq(new Limit("line", "4096"), new Limit("rate", "10")) };
        Assert.Equal("HELLO chatroom 3 line=4096 rate=10", EventCodec.Encode(hello).ThrowIfFail());
        var back = (ServerEvent.Hello)EventCodec.Decode("HELLO chatroom 2 line=4096 rate=10 future=yes").ThrowIfFail();
        Assert.Equal(Some("4096"), back.Limit("line"));
        Assert.Equal(Some("yes"), back.Limit("future")); // unknown limits are kept, for the client to ignore
        Assert.True(back.Limit("burst").IsNone);
    }

    [Theory]
    [InlineData("PROTOCOL 2")]
    [InlineData("protocol 2")]
    public void Protocol_command_decodes_case_insensitively(string line) =>
        Assert.Equal(new Command.Protocol(2), CommandCodec.Decode(line).ThrowIfFail());

    [Theory]
    [InlineData("HISTORY BEFORE 41 20", 41, 20)]
    [InlineData("history before 9223372036854775807 1", long.MaxValue, 1)]
    public void History_command_has_its_exact_wire_text(string line, long before, int count)
    {
        Assert.Equal(new Command.History(before, count), CommandCodec.Decode(line).ThrowIfFail());
        Assert.Equal($"HISTORY BEFORE {before} {count}", CommandCodec.Encode(new Command.History(before, count)).ThrowIfFail());
    }

    [Theory]
    [InlineData("HISTORY")]
    [InlineData("HISTORY 20")]
    [InlineData("HISTORY BEFORE 41")]
    [InlineData("HISTORY BEFORE 41 0")]
    [InlineData("HISTORY BEFORE -1 5")]
    [InlineData("HISTORY AFTER 41 5")]
    [InlineData("PROTOCOL")]
    [InlineData("PROTOCOL 0")]
    [InlineData("PROTOCOL two")]
    public void Malformed_protocol_2_commands_are_usage_errors(string line) =>
        Assert.Equal(400, CommandCodec.Decode(line).Match(_ => 0, e => e.Code));

    [Theory]
    [InlineData("MESSAGE 4 alice hi")]           // a protocol 1 line is not a protocol 2 one
    [InlineData("MESSAGE 4 2026-12-02 alice hi")]
    [InlineData("JOINED 4 2026-12-02T04:18:09Z bob")] // milliseconds are not optional
    [InlineData("HISTORY WHISPER a b c")]
    [InlineData("HISTORY")]
    [InlineData("END USERS")]
    [InlineData("END WHO 3")]
    public void Malformed_protocol_2_lines_are_refused(string line) =>
        Assert.True(EventCodec.Decode(line, 2).IsFail);

    [Property]
    public Property Protocol_2_round_trips_every_timed_room_event() =>
        Prop.ForAll(Generators.TimedRoomEvent.ToArbitrary(), e =>
        {
            var line = EventCodec.Encode(e, 2);
            return (line.Bind(l => EventCodec.Decode(l, 2)) == e).Label($"{e} -> {line}");
        });

    [Property]
    public Property Protocol_1_writes_the_same_event_without_its_time() =>
        Prop.ForAll(Generators.TimedRoomEvent.ToArbitrary(), e =>
        {
            var untimed = e switch
            {
                ServerEvent.Joined j => j with { At = default },
                ServerEvent.Left l => l with { At = default },
                ServerEvent.Message m => m with { At = default },
                _ => e,
            };
            return (EventCodec.Encode(e, 1) == EventCodec.Encode(untimed) && EventCodec.Encode(e, 1).Bind(EventCodec.Decode) == untimed)
                .Label($"{e}");
        });

    [Property]
    public Property The_wire_encoder_agrees_with_Encode_in_protocol_2(ServerEvent e) =>
        (EventCodec.EncodeLine(e, 2).Map(b => System.Text.Encoding.UTF8.GetString(b)) == EventCodec.Encode(e, 2).Map(l => l + "\n"))
            .Label($"{e}");
}
