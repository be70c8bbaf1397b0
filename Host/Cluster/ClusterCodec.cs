using System.Globalization;
using System.Text;
using ChatRoom.Core.Log;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using LanguageExt.Common;

namespace ChatRoom.Host;

/// <summary>
/// A room event as a message of the room's JetStream stream: one UTF-8 line of space-separated fields,
/// <c>&lt;kind&gt; &lt;unix ms&gt; &lt;host&gt;#&lt;number&gt; &lt;connection&gt; &lt;fields&gt;</c> (the number is the draft's
/// place among its host's appends, <see cref="Draft.Number"/>), where the kind is <c>J</c> (JOINED:
/// nick), <c>L</c> (LEFT: nick, the host and connection whose membership ends, the host <c>-</c> when none, reason)
/// or <c>M</c> (MESSAGE: nick, text).
/// The stream's sequence number is the event's seq, so the message holds none. Decoding never throws: a message
/// that is not one of these (written by something else) is an error the log skips, on every host alike.
/// </summary>
public static class ClusterCodec
{
    /// <summary>The message for <paramref name="draft"/>.</summary>
    public static byte[] Encode(Draft draft)
    {
        var writer = draft.Number > 0 && draft.Host.Length > 0 ? string.Create(CultureInfo.InvariantCulture, $"{draft.Host}#{draft.Number}") : Word(draft.Host);
        var head = string.Create(CultureInfo.InvariantCulture, $"{draft.At.ToUnixTimeMilliseconds()} {writer} {draft.Origin.Value}");
        var line = draft.Event switch
        {
            RoomEvent.Joined j => $"J {head} {j.Nick}",
            RoomEvent.Left l => string.Create(CultureInfo.InvariantCulture, $"L {head} {l.Nick} {Word(l.Host)} {l.Connection.Value} {l.Reason}"),
            RoomEvent.Message m => $"M {head} {m.From} {m.Text}",
            _ => throw new ArgumentException($"not a room event: {draft.Event.GetType().Name}", nameof(draft)),
        };
        return Encoding.UTF8.GetBytes(line);
    }

    /// <summary>The entry a stream message at <paramref name="seq"/> holds, or why it holds none.</summary>
    public static Fin<LogEntry> Decode(long seq, ReadOnlySpan<byte> message)
    {
        string line;
        try
        {
            line = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(message);
        }
        catch (DecoderFallbackException)
        {
            return Error.New("not UTF-8");
        }
        var parts = line.Split(' ', 5);
        if (parts.Length < 5 || parts[0].Length != 1
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var origin))
            return Error.New("not a room event");
        var at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        var host = Unword(parts[2]);
        long number = 0;
        if (host.IndexOf('#') is var hash and >= 0)
        {
            if (!long.TryParse(host.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out number) || number <= 0 || hash == 0)
                return Error.New("not a room event");
            host = host[..hash];
        }
        var rest = parts[4];
        Option<RoomEvent> e = parts[0] switch
        {
            "J" when Syntax.IsValidNick(rest) => new RoomEvent.Joined(rest),
            "L" when rest.Split(' ', 4) is [var nick, var of, var connection, .. var reason] && Syntax.IsValidNick(nick)
                      && long.TryParse(connection, NumberStyles.None, CultureInfo.InvariantCulture, out var membership)
                      && (reason.Length == 0 || Syntax.IsValidField(reason[0])) =>
                new RoomEvent.Left(nick, reason.Length == 0 ? "" : reason[0]) { Host = Unword(of), Connection = new ConnectionId(membership) },
            "M" when rest.Split(' ', 2) is [var from, var text] && Syntax.IsValidNick(from) && Syntax.IsValidText(text) => new RoomEvent.Message(from, text),
            _ => None,
        };
        return e.Match(
            ev => Fin<LogEntry>.Succ(new LogEntry(seq, at, ev, new ConnectionId(origin)) { Host = host, Number = number }),
            () => Fin<LogEntry>.Fail(Error.New("not a room event")));
    }

    private static string Word(string host) => host.Length == 0 ? "-" : host;

    private static string Unword(string word) => word == "-" ? "" : word;
}
