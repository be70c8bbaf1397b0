using System.Text.Json;
using ChatRoom.Client.Display;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Tests.Display;

public class JsonEventsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 15, 3, 5, 120, TimeSpan.FromHours(1));

    private static string Json(ServerEvent e) => JsonEvents.Format(e, At).IfNone("<none>");

    [Fact]
    public void Message_has_the_exact_documented_shape() =>
        Assert.Equal("""{"type":"message","seq":7,"from":"alice","text":"hi","time":"2026-11-26T14:03:05.120Z"}""",
            Json(new ServerEvent.Message(7, "alice", "hi")));

    [Fact]
    public void Chinese_text_stays_readable_and_quotes_are_escaped() =>
        Assert.Equal("""{"type":"message","seq":8,"from":"北落","text":"他说 \"你好\" \\o/","time":"2026-11-26T14:03:05.120Z"}""",
            Json(new ServerEvent.Message(8, "北落", """他说 "你好" \o/""")));

    [Fact]
    public void Every_shown_event_type_is_one_line_of_json_with_a_type_and_a_time()
    {
        var events = new (ServerEvent Event, string Type)[]
        {
            (new ServerEvent.Welcome("alice"), "welcome"),
            (new ServerEvent.Users(Seq("alice", "bob")), "users"),
            (new ServerEvent.Joined(2, "bob"), "joined"),
            (new ServerEvent.Left(3, "bob", "quit"), "left"),
            (new ServerEvent.Message(4, "bob", "hi"), "message"),
            (new ServerEvent.Whisper("bob", "alice", "psst"), "whisper"),
            (new ServerEvent.Error(404, "no such user: zed"), "error"),
            (new ServerEvent.Bye("quit"), "bye"),
        };
        foreach (var (e, type) in events)
        {
            var json = Json(e);
            Assert.DoesNotContain('\n', json);
            using var doc = JsonDocument.Parse(json);
            Assert.Equal(type, doc.RootElement.GetProperty("type").GetString());
            Assert.Equal("2026-11-26T14:03:05.120Z", doc.RootElement.GetProperty("time").GetString());
        }
    }

    [Fact]
    public void Fields_carry_the_events_values()
    {
        using var left = JsonDocument.Parse(Json(new ServerEvent.Left(3, "bob", "ping timeout")));
        Assert.Equal(3, left.RootElement.GetProperty("seq").GetInt64());
        Assert.Equal("ping timeout", left.RootElement.GetProperty("reason").GetString());

        using var users = JsonDocument.Parse(Json(new ServerEvent.Users(Seq("alice", "北落"))));
        Assert.Equal(["alice", "北落"], users.RootElement.GetProperty("nicks").EnumerateArray().Select(n => n.GetString()));

        using var whisper = JsonDocument.Parse(Json(new ServerEvent.Whisper("bob", "alice", "psst")));
        Assert.Equal("bob", whisper.RootElement.GetProperty("from").GetString());
        Assert.Equal("alice", whisper.RootElement.GetProperty("to").GetString());

        using var error = JsonDocument.Parse(Json(new ServerEvent.Error(403, "identity cannot be changed after joining")));
        Assert.Equal(403, error.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public void Housekeeping_lines_are_not_events() =>
        Assert.True(JsonEvents.Format(new ServerEvent.Ping("x"), At).IsNone);

    [Fact]
    public void A_history_event_is_marked_and_carries_the_servers_time() =>
        Assert.Equal("""{"type":"message","seq":7,"from":"alice","text":"hi","history":true,"time":"2026-11-26T13:01:09.123Z"}""",
            JsonEvents.Format(new ServerEvent.Message(7, "alice", "hi") { At = new DateTimeOffset(2026, 11, 26, 13, 1, 9, 123, TimeSpan.Zero) }, At, history: true).IfNone(""));

    [Fact]
    public void A_live_protocol_2_event_has_no_history_field_and_the_servers_time() =>
        Assert.Equal("""{"type":"joined","seq":8,"nick":"bob","time":"2026-11-26T13:01:09.123Z"}""",
            Json(new ServerEvent.Joined(8, "bob") { At = new DateTimeOffset(2026, 11, 26, 13, 1, 9, 123, TimeSpan.Zero) }));

    [Fact]
    public void An_error_says_who_raised_it_and_which_input_line_it_refused()
    {
        var error = new ServerEvent.Error(404, "zed is not in the room");
        Assert.Equal("""{"type":"error","code":404,"text":"zed is not in the room","source":"server","line":3,"time":"2026-11-26T14:03:05.120Z"}""",
            JsonEvents.Format(new ChatRoom.Core.Client.ClientEffect.Show(error, "alice", At) { Line = 3 }).IfNone("<none>"));
        Assert.Equal("""{"type":"error","code":400,"text":"unknown command /frob","source":"client","line":1,"time":"2026-11-26T14:03:05.120Z"}""",
            JsonEvents.Format(new ChatRoom.Core.Client.ClientEffect.Show(new ServerEvent.Error(400, "unknown command /frob"), "alice", At)
                { Source = ChatRoom.Core.Client.ErrorSource.Client, Line = 1 }).IfNone("<none>"));
        Assert.DoesNotContain("\"line\"", JsonEvents.Format(new ChatRoom.Core.Client.ClientEffect.Show(error, "alice", At)).IfNone(""));
    }

    [Fact]
    public void A_missed_history_event_is_marked_missed() =>
        Assert.Equal("""{"type":"message","seq":7,"from":"bob","text":"hi","history":true,"missed":true,"time":"2026-11-26T14:03:05.120Z"}""",
            JsonEvents.Format(new ChatRoom.Core.Client.ClientEffect.Show(new ServerEvent.Message(7, "bob", "hi"), "alice", At) { History = true, Missed = true })
                .IfNone("<none>"));
}
