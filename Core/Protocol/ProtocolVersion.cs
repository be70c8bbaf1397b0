using System.Globalization;

namespace ChatRoom.Core.Protocol;

/// <summary>
/// The protocol versions. A connection speaks 1 until its client sends <c>PROTOCOL 2</c> (before logging in); every
/// line keeps its protocol 1 meaning, and protocol 2 adds the server's time to JOINED, LEFT and MESSAGE, history,
/// and end markers; protocol 3 adds PRESENCE lines in large rooms (docs/PROTOCOL.md, "Versions").
/// </summary>
public static class ProtocolVersion
{
    /// <summary>The first protocol, spoken by every connection until it asks for another.</summary>
    public const int First = 1;

    /// <summary>The highest protocol this server speaks (what HELLO announces).</summary>
    public const int Highest = 3;

    /// <summary>The first protocol whose members of a large room get PRESENCE lines instead of JOINED and LEFT.</summary>
    public const int Presence = 3;

    /// <summary>How protocol 2 writes a time: UTC to the millisecond, ISO 8601 (<c>2026-12-02T04:18:09.123Z</c>).</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>A time as protocol 2 writes it.</summary>
    public static string FormatTime(DateTimeOffset at) => at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses a time written by <see cref="FormatTime"/>; nothing else is accepted.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset at) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
}
