using System.Buffers.Text;
using System.Text;

namespace ChatRoom.LoadTest;

/// <summary>What one received line means to the load generator.</summary>
public enum LineKind
{
    Other,
    LoggedIn,
    Refused,
    Delivery,
    Ping,
    Closing,
    TooFast,
    Roster,
    /// <summary>JOINED, LEFT or PRESENCE: who is in the room changed.</summary>
    Presence,
    Busy,
    /// <summary>Registered with the server, but not yet in the room: the client sends <see cref="Wire.AfterRegistration"/>.</summary>
    Registered,
}

/// <summary>
/// The two protocols the generator speaks: ChatRoom's own, and enough IRC for ngircd and InspIRCd (register,
/// JOIN one channel, PRIVMSG it, answer PING). Lines are classified straight from bytes, without allocating,
/// so the generator stays cheaper than the server it measures.
/// </summary>
public abstract class Wire
{
    public static Wire For(string name) => name switch
    {
        "chatroom" => new ChatRoomWire(),
        "chatroom3" => new ChatRoomWire(protocol: 3),
        "irc" => new IrcWire(joinChannel: true),
        "irc-register" => new IrcWire(joinChannel: false),
        _ => throw new ArgumentException($"unknown protocol '{name}' (chatroom, chatroom3, irc or irc-register)"),
    };

    public abstract string Name { get; }

    /// <summary>The lines that log a user in and put them in the room (or the channel).</summary>
    public abstract byte[] Login(string nick, string password);

    /// <summary>One chat line carrying the sender's index and a send timestamp (Stopwatch ticks) at its end.</summary>
    public abstract byte[] Say(int sender, long timestamp, string padding);

    public abstract byte[] Quit();

    /// <summary>What to send once the server has registered the client (<see cref="LineKind.Registered"/>).</summary>
    public virtual byte[]? AfterRegistration => null;

    public abstract byte[] Pong(ReadOnlySpan<byte> pingLine);

    public abstract LineKind Classify(ReadOnlySpan<byte> line);

    /// <summary>Reads "&lt;sender&gt; &lt;timestamp&gt;" from the end of a delivered chat line.</summary>
    public static bool TryReadStamp(ReadOnlySpan<byte> line, out int sender, out long timestamp)
    {
        sender = -1;
        timestamp = 0;
        var last = line.LastIndexOf((byte)' ');
        if (last < 0 || !Utf8Parser.TryParse(line[(last + 1)..], out timestamp, out _)) return false;
        var head = line[..last];
        var before = head.LastIndexOf((byte)' ');
        return before >= 0 && Utf8Parser.TryParse(head[(before + 1)..], out sender, out _);
    }

    protected static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);
}

/// <summary>ChatRoom's protocol: 1 (no PROTOCOL line), or 3 (<c>chatroom3</c>: PRESENCE lines in a large room).</summary>
public sealed class ChatRoomWire(int protocol = 1) : Wire
{
    public override string Name => protocol == 1 ? "chatroom" : $"chatroom{protocol}";
    public override byte[] Login(string nick, string password) =>
        Bytes(protocol == 1 ? $"LOGIN {nick} {password}\n" : $"PROTOCOL {protocol}\nLOGIN {nick} {password}\n");
    public override byte[] Say(int sender, long timestamp, string padding) => Bytes($"SAY {padding} {sender} {timestamp}\n");
    public override byte[] Quit() => Bytes("QUIT\n");
    public override byte[] Pong(ReadOnlySpan<byte> pingLine) => Bytes("PONG" + Encoding.UTF8.GetString(pingLine[4..]) + "\n");

    public override LineKind Classify(ReadOnlySpan<byte> line) =>
        line.StartsWith("MESSAGE "u8) ? LineKind.Delivery
        : line.StartsWith("WELCOME "u8) ? LineKind.LoggedIn
        : line.StartsWith("DENIED"u8) ? LineKind.Refused
        : line.StartsWith("PING"u8) ? LineKind.Ping
        : line.StartsWith("BYE"u8) ? LineKind.Closing
        : line.StartsWith("ERROR 429"u8) ? LineKind.TooFast
        : line.StartsWith("ERROR 503"u8) ? LineKind.Busy
        : line.StartsWith("USERS"u8) ? LineKind.Roster
        : line.StartsWith("JOINED "u8) || line.StartsWith("LEFT "u8) || line.StartsWith("PRESENCE "u8) ? LineKind.Presence
        : LineKind.Other;
}

/// <summary>
/// IRC for ngircd and InspIRCd. With <c>joinChannel</c> a login is NICK and USER, then JOIN #bench once the
/// server has welcomed the client (001), complete at the end of the channel's NAMES list (366); without it
/// (irc-register) a login is registration only, complete at 001. JOIN waits for 001 because a server may
/// finish registration later than it reads USER (InspIRCd does so in a once-per-second sweep) and answers a
/// JOIN before it with 451 "You have not registered".
/// </summary>
public sealed class IrcWire(bool joinChannel) : Wire
{
    public const string Channel = "#bench";
    public override string Name => joinChannel ? "irc" : "irc-register";
    public override byte[] Login(string nick, string password) =>
        Bytes($"NICK {nick}\r\nUSER {nick} 0 * :{nick}\r\n");
    private static readonly byte[] Join = Bytes($"JOIN {Channel}\r\n");
    public override byte[]? AfterRegistration => joinChannel ? Join : null;
    public override byte[] Say(int sender, long timestamp, string padding) => Bytes($"PRIVMSG {Channel} :{padding} {sender} {timestamp}\r\n");
    public override byte[] Quit() => Bytes("QUIT\r\n");
    public override byte[] Pong(ReadOnlySpan<byte> pingLine) => Bytes("PONG" + Encoding.UTF8.GetString(pingLine[4..]) + "\r\n");

    public override LineKind Classify(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith("PING"u8)) return LineKind.Ping;
        if (line.StartsWith("ERROR"u8)) return LineKind.Closing;
        if (line.IsEmpty || line[0] != (byte)':') return LineKind.Other;
        var space = line.IndexOf((byte)' ');
        if (space < 0) return LineKind.Other;
        var rest = line[(space + 1)..];
        if (rest.StartsWith("PRIVMSG "u8)) return LineKind.Delivery;
        if (rest.StartsWith("001 "u8)) return joinChannel ? LineKind.Registered : LineKind.LoggedIn;
        if (joinChannel && rest.StartsWith("366 "u8)) return LineKind.LoggedIn; // the JOIN is done
        if (rest.StartsWith("433 "u8) || rest.StartsWith("432 "u8) || rest.StartsWith("465 "u8)) return LineKind.Refused;
        return LineKind.Other;
    }
}
