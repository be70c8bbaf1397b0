using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChatRoom.Core.Log;

namespace ChatRoom.Host;

/// <summary>
/// How <c>history export</c> prints log entries: JSON lines for programs, or plain text lines for people. Times
/// are UTC to the millisecond in ISO 8601, as the log keeps them. JSON is written with <see cref="Utf8JsonWriter"/>
/// (no reflection: the host is published with NativeAOT).
/// </summary>
public static class HistoryFormat
{
    // Non-ASCII letters stay readable (the output is for an administrator's tools, never embedded in HTML);
    // quotes, backslashes and control characters are still escaped.
    private static readonly JsonWriterOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The entry's time as printed: <c>2026-12-02T04:18:09.123Z</c>.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// One JSON object and a newline: <c>{"seq":41,"time":"…","type":"message","nick":"alice","text":"hi"}</c>;
    /// a <c>joined</c> has no text, a <c>left</c> has a <c>reason</c>.
    /// </summary>
    public static void WriteJsonLine(Stream output, LogEntry entry)
    {
        using (var json = new Utf8JsonWriter(output, Json))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", entry.Seq);
            json.WriteString("time", Time(entry.At));
            switch (entry.Event)
            {
                case RoomEvent.Message m:
                    json.WriteString("type", "message");
                    json.WriteString("nick", m.From);
                    json.WriteString("text", m.Text);
                    break;
                case RoomEvent.Joined j:
                    json.WriteString("type", "joined");
                    json.WriteString("nick", j.Nick);
                    break;
                case RoomEvent.Left l:
                    json.WriteString("type", "left");
                    json.WriteString("nick", l.Nick);
                    json.WriteString("reason", l.Reason);
                    break;
            }
            json.WriteEndObject();
        }
        output.WriteByte((byte)'\n');
    }

    /// <summary>
    /// One text line, without its newline: <c>41 2026-12-02T04:18:09.123Z MESSAGE alice hi</c>. Control characters
    /// (which the protocol never lets into a text, but a damaged file might hold) print as U+FFFD, so a line is
    /// always one line and never drives the terminal.
    /// </summary>
    public static string TextLine(LogEntry entry)
    {
        var head = $"{entry.Seq.ToString(CultureInfo.InvariantCulture)} {Time(entry.At)} ";
        return Printable(entry.Event switch
        {
            RoomEvent.Message m => $"{head}MESSAGE {m.From} {m.Text}",
            RoomEvent.Joined j => $"{head}JOINED {j.Nick}",
            RoomEvent.Left l => l.Reason.Length == 0 ? $"{head}LEFT {l.Nick}" : $"{head}LEFT {l.Nick} {l.Reason}",
            _ => head + "?",
        });
    }

    private static string Printable(string line)
    {
        if (!line.Any(char.IsControl)) return line;
        var text = new StringBuilder(line.Length);
        foreach (var c in line) text.Append(char.IsControl(c) ? '\uFFFD' : c);
        return text.ToString();
    }
}
