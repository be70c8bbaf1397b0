using ChatRoom.Core.Client;
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
/// Types: welcome, users, joined, left, message, whisper, error, bye. The time is the server's time of the event
/// when it has one (joined, left and message from a protocol 2 server), else when the client received it, in UTC.
/// Events from the room's history carry <c>"history":true</c> (before the time); live events have no such field.
/// Text is written as UTF-8, not escaped to \u sequences, so Chinese stays readable.
/// </summary>
public static class JsonEvents
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>The event as one line of JSON; None for lines scripts never see (HELLO, PING, PONG, DENIED).</summary>
    public static Option<string> Format(ServerEvent e, DateTimeOffset at) => Format(e, at, history: false);

    /// <summary>The event as one line of JSON, marked <c>"history":true</c> when <paramref name="history"/>.</summary>
    public static Option<string> Format(ServerEvent e, DateTimeOffset at, bool history) => Format(e, at, history, missed: false);

    /// <summary>
    /// What the reducer showed, as one line of JSON: an error also says who raised it (<c>"source":"server"</c> or
    /// <c>"client"</c>) and, when known, the number of the input line it refused (<c>"line":3</c>).
    /// </summary>
    public static Option<string> Format(ClientEffect.Show show) =>
        Fields(show.Event).Map(f => Object(f.Type, Transcript.ServerTime(show.Event).IfNone(show.At), show.History, show.Missed, j =>
        {
            f.Write(j);
            if (show.Event is not ServerEvent.Error) return;
            j.WriteString("source", show.Source == ErrorSource.Client ? "client" : "server");
            if (show.Line > 0) j.WriteNumber("line", show.Line);
        }));

    /// <summary>
    /// The event as one line of JSON; a history event that happened while the connection was down in this run is
    /// marked <c>"missed":true</c> as well.
    /// </summary>
    public static Option<string> Format(ServerEvent e, DateTimeOffset at, bool history, bool missed) =>
        Fields(e).Map(f => Object(f.Type, Transcript.ServerTime(e).IfNone(at), history, missed, f.Write));

    private static Option<(string Type, Action<Utf8JsonWriter> Write)> Fields(ServerEvent e) => e switch
    {
        ServerEvent.Welcome w => Pair("welcome", j => j.WriteString("nick", w.Nick)),
        ServerEvent.Users u => Pair("users", j =>
        {
            j.WriteStartArray("nicks");
            foreach (var nick in u.Nicks) j.WriteStringValue(nick);
            j.WriteEndArray();
        }),
        ServerEvent.Joined x => Pair("joined", j =>
        {
            j.WriteNumber("seq", x.Seq);
            j.WriteString("nick", x.Nick);
        }),
        ServerEvent.Left x => Pair("left", j =>
        {
            j.WriteNumber("seq", x.Seq);
            j.WriteString("nick", x.Nick);
            j.WriteString("reason", x.Reason);
        }),
        ServerEvent.Message m => Pair("message", j =>
        {
            j.WriteNumber("seq", m.Seq);
            j.WriteString("from", m.From);
            j.WriteString("text", m.Text);
        }),
        ServerEvent.Whisper w => Pair("whisper", j =>
        {
            j.WriteString("from", w.From);
            j.WriteString("to", w.To);
            j.WriteString("text", w.Text);
        }),
        ServerEvent.Error err => Pair("error", j =>
        {
            j.WriteNumber("code", err.Code);
            j.WriteString("text", err.Text);
        }),
        ServerEvent.Bye b => Pair("bye", j => j.WriteString("reason", b.Reason)),
        _ => None,
    };

    /// <summary>The time as JSON shows it: ISO 8601 in UTC with milliseconds.</summary>
    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static Option<(string, Action<Utf8JsonWriter>)> Pair(string type, Action<Utf8JsonWriter> write) => (type, write);

    private static string Object(string type, DateTimeOffset at, bool history, bool missed, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            fields(json);
            if (history) json.WriteBoolean("history", true);
            if (history && missed) json.WriteBoolean("missed", true);
            json.WriteString("time", Time(at));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
