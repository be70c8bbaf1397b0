using System.Globalization;
using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Display;

/// <summary>
/// How events read in the transcript: <c>[14:03] alice: hello</c>, <c>* bob has joined</c>,
/// <c>* bob has left (quit)</c>, whispers as <c>[14:03] alice -> you (whisper): psst</c>.
/// <see cref="Text"/> (without the time) is Core's <see cref="EventText"/>, which <c>/wait</c> matches against. In protocol 2 JOINED, LEFT
/// and MESSAGE carry the server's time, and every one of them shows it (<c>[14:03] * bob has joined</c>), live or
/// history alike, in the reader's local time; a time of another day shows its date (<c>[12-01 23:59]</c>).
/// History is dimmed where the terminal shows colour (<see cref="Dim"/>).
/// </summary>
public static class Transcript
{
    /// <summary>The event as a line without its time (<see cref="EventText.Of"/>, what <c>/wait</c> matches); None for lines people never see.</summary>
    public static Option<string> Text(ServerEvent e, string me) => EventText.Of(e, me);

    /// <summary>
    /// The transcript line: the text, after the server's time when the event has one (protocol 2), else with the
    /// time it came (<paramref name="at"/>, local time) before what people said. The server's time is shown in
    /// the offset of <paramref name="at"/>, the reader's local time.
    /// </summary>
    public static Option<string> Line(ServerEvent e, string me, DateTimeOffset at) =>
        Text(e, me).Map(text => ServerTime(e).Case is DateTimeOffset server
            ? $"[{Stamp(server.ToOffset(at.Offset), at)}] {text}"
            : e is ServerEvent.Message or ServerEvent.Whisper ? $"[{Clock(at)}] {text}" : text);

    /// <summary>The server's time of a room event, if it has one (protocol 2 writes it; protocol 1 never does).</summary>
    public static Option<DateTimeOffset> ServerTime(ServerEvent e) => e switch
    {
        ServerEvent.History h => ServerTime(h.Event),
        ServerEvent.Joined j when j.At != default => j.At,
        ServerEvent.Left l when l.At != default => l.At,
        ServerEvent.Message m when m.At != default => m.At,
        _ => None,
    };

    /// <summary><c>HH:mm</c> on the day of <paramref name="now"/>, <c>MM-dd HH:mm</c> earlier that year, <c>yyyy-MM-dd HH:mm</c> before.</summary>
    public static string Stamp(DateTimeOffset when, DateTimeOffset now) =>
        when.Date == now.Date ? Clock(when)
        : when.Year == now.Year ? when.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)
        : when.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Text dimmed (SGR 2, then back to normal intensity), for history in a terminal that shows colour.</summary>
    public static string Dim(string text) => $"\x1b[2m{text}\x1b[22m";

    /// <summary>The time as the transcript shows it, 24-hour <c>HH:mm</c> whatever the culture.</summary>
    public static string Clock(DateTimeOffset at) => at.ToString("HH:mm", CultureInfo.InvariantCulture);
}
