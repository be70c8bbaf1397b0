using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Display;

/// <summary>
/// Events as one-line JSON objects for scripts (<c>--json</c>), for example
/// <c>{"type":"message","seq":7,"from":"alice","text":"hi","time":"2026-11-26T14:03:05.120Z"}</c>.
/// Types: welcome, users, joined, left, message, whisper, error, bye. The time is when the client received the
/// event, in UTC. Text is written as UTF-8, not escaped to \u sequences, so Chinese stays readable.
/// </summary>
public static class JsonEvents
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>The event as one line of JSON; None for lines scripts never see (HELLO, PING, PONG, DENIED).</summary>
    public static Option<string> Format(ServerEvent e, DateTimeOffset at) => e switch
    {
        ServerEvent.Welcome w => Object("welcome", at, j => j.WriteString("nick", w.Nick)),
        ServerEvent.Users u => Object("users", at, j =>
        {
            j.WriteStartArray("nicks");
            foreach (var nick in u.Nicks) j.WriteStringValue(nick);
            j.WriteEndArray();
        }),
        ServerEvent.Joined x => Object("joined", at, j =>
        {
            j.WriteNumber("seq", x.Seq);
            j.WriteString("nick", x.Nick);
        }),
        ServerEvent.Left x => Object("left", at, j =>
        {
            j.WriteNumber("seq", x.Seq);
            j.WriteString("nick", x.Nick);
            j.WriteString("reason", x.Reason);
        }),
        ServerEvent.Message m => Object("message", at, j =>
        {
            j.WriteNumber("seq", m.Seq);
            j.WriteString("from", m.From);
            j.WriteString("text", m.Text);
        }),
        ServerEvent.Whisper w => Object("whisper", at, j =>
        {
            j.WriteString("from", w.From);
            j.WriteString("to", w.To);
            j.WriteString("text", w.Text);
        }),
        ServerEvent.Error err => Object("error", at, j =>
        {
            j.WriteNumber("code", err.Code);
            j.WriteString("text", err.Text);
        }),
        ServerEvent.Bye b => Object("bye", at, j => j.WriteString("reason", b.Reason)),
        _ => None,
    };

    /// <summary>The time as JSON shows it: ISO 8601 in UTC with milliseconds.</summary>
    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static Option<string> Object(string type, DateTimeOffset at, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            fields(json);
            json.WriteString("time", Time(at));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
