using ChatRoom.Client.Display;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Tests.Display;

public class TranscriptTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 14, 3, 59, TimeSpan.FromHours(1));

    private static string Line(string wire, string me = "alice") =>
        Transcript.Line(EventCodec.Decode(wire).IfFail(e => throw new InvalidOperationException(e.Message)), me, At)
            .IfNone("<not shown>");

    [Theory]
    [InlineData("MESSAGE 7 alice hello", "[14:03] alice: hello")]
    [InlineData("JOINED 8 bob", "* bob has joined")]
    [InlineData("LEFT 9 bob quit", "* bob has left (quit)")]
    [InlineData("LEFT 9 bob", "* bob has left")]
    [InlineData("USERS alice bob carol", "* in the room: alice, bob, carol")]
    [InlineData("WELCOME alice", "* you are in the room as alice")]
    [InlineData("ERROR 404 no such user: zed", "! no such user: zed")]
    [InlineData("BYE server shutting down", "* bye (server shutting down)")]
    public void Events_read_as_the_transcript_shows_them(string wire, string expected) =>
        Assert.Equal(expected, Line(wire));

    [Fact]
    public void Whispers_are_marked_and_say_you_for_the_reader()
    {
        Assert.Equal("[14:03] bob -> you (whisper): lunch?", Line("WHISPER bob alice lunch?"));
        Assert.Equal("[14:03] you -> bob (whisper): lunch?", Line("WHISPER alice bob lunch?"));
        Assert.Equal("[14:03] you -> you (whisper): note", Line("WHISPER alice alice note"));
        Assert.Equal("[14:03] you -> bob (whisper): case", Line("WHISPER ALICE bob case"));
    }

    [Theory]
    [InlineData("HELLO chatroom 1")]
    [InlineData("PING keepalive")]
    [InlineData("PONG")]
    public void Protocol_housekeeping_is_not_shown(string wire) => Assert.Equal("<not shown>", Line(wire));

    [Fact]
    public void Chinese_nicks_and_text_are_shown_as_they_are()
    {
        Assert.Equal("[14:03] 北落: 你好，世界！", Line("MESSAGE 4 北落 你好，世界！"));
        Assert.Equal("[14:03] 北落 -> you (whisper): 午饭？", Line("WHISPER 北落 师门 午饭？", me: "师门"));
        Assert.Equal("* 北落 has left (下线了)", Line("LEFT 5 北落 下线了"));
    }

    [Fact]
    public void A_very_long_line_is_kept_whole_on_one_line()
    {
        var text = string.Concat(Enumerable.Repeat("长", Syntax.MaxTextBytes / 3));
        var line = Line($"MESSAGE 10 bob {text}");
        Assert.Equal($"[14:03] bob: {text}", line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void The_time_is_24_hour_hours_and_minutes_whatever_the_culture()
    {
        var saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
            Assert.Equal("[21:07] a: b", Transcript.Line(new ServerEvent.Message(1, "a", "b"), "me",
                new DateTimeOffset(2026, 1, 2, 21, 7, 0, TimeSpan.Zero)).IfNone(""));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Text_without_time_is_what_wait_matches()
    {
        Assert.Equal("alice: hello", Transcript.Text(new ServerEvent.Message(7, "alice", "hello"), "bob").IfNone(""));
    }

    private static string Line2(string wire, DateTimeOffset at) =>
        Transcript.Line(EventCodec.Decode(wire, 2).IfFail(e => throw new InvalidOperationException(e.Message)), "alice", at)
            .IfNone("<not shown>");

    [Theory]
    [InlineData("MESSAGE 7 2026-11-26T13:01:09.123Z bob hi", "[14:01] bob: hi")]
    [InlineData("JOINED 8 2026-11-26T13:02:00.000Z carol", "[14:02] * carol has joined")]
    [InlineData("LEFT 9 2026-11-26T13:03:00.000Z carol quit", "[14:03] * carol has left (quit)")]
    [InlineData("HISTORY MESSAGE 6 2026-11-26T12:59:00.000Z bob earlier", "[13:59] bob: earlier")]
    public void Protocol_2_events_show_the_servers_time_in_the_readers_local_time(string wire, string expected) =>
        Assert.Equal(expected, Line2(wire, At));

    [Fact]
    public void A_server_time_of_another_day_shows_its_date()
    {
        Assert.Equal("[11-25 23:59] bob: late", Line2("MESSAGE 7 2026-11-25T22:59:00.000Z bob late", At));
        Assert.Equal("[2025-11-26 13:00] bob: old", Line2("MESSAGE 7 2025-11-26T12:00:00.000Z bob old", At));
    }

    [Fact]
    public void Protocol_1_joins_still_show_no_time() => Assert.Equal("* bob has joined", Line("JOINED 8 bob"));

    [Fact]
    public void Dimmed_text_is_wrapped_in_faint_and_normal_intensity() =>
        Assert.Equal("\u001b[2m— earlier —\u001b[22m", Transcript.Dim("— earlier —"));
}
