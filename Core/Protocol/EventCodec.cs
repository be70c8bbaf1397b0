using System.Globalization;
using static LanguageExt.Prelude;

namespace ChatRoom.Core.Protocol;

/// <summary>
/// Server-to-client lines: <see cref="Encode"/> renders a <see cref="ServerEvent"/> as a line without its LF,
/// <see cref="Decode"/> (used by clients) parses one back. Decode is total and never throws.
/// </summary>
public static class EventCodec
{
    /// <summary>
    /// Renders an event. Refuses (422) invalid nicknames or texts and any field holding CR, LF, NUL or another
    /// control character, so a value can never turn into two lines on the wire.
    /// </summary>
    public static Fin<string> Encode(ServerEvent e) => e switch
    {
        ServerEvent.Hello(var product, var version) =>
            Syntax.IsValidWord(product) && version >= 0 ? FinSucc($"HELLO {product} {Num(version)}") : Refuse("HELLO"),
        ServerEvent.Welcome(var nick) => Syntax.IsValidNick(nick) ? FinSucc($"WELCOME {nick}") : Refuse("WELCOME"),
        ServerEvent.Users(var nicks) =>
            nicks.ForAll(Syntax.IsValidNick)
                ? FinSucc(nicks.IsEmpty ? "USERS" : "USERS " + string.Join(' ', nicks))
                : Refuse("USERS"),
        ServerEvent.Denied(var reason) => Field("DENIED", reason),
        ServerEvent.Joined(var seq, var nick) =>
            seq >= 0 && Syntax.IsValidNick(nick) ? FinSucc($"JOINED {Num(seq)} {nick}") : Refuse("JOINED"),
        ServerEvent.Left(var seq, var nick, var reason) =>
            seq >= 0 && Syntax.IsValidNick(nick) && Syntax.IsValidField(reason)
                ? FinSucc(Words.WithOptional($"LEFT {Num(seq)} {nick}", reason))
                : Refuse("LEFT"),
        ServerEvent.Message(var seq, var from, var text) =>
            seq >= 0 && Syntax.IsValidNick(from) && Syntax.IsValidText(text)
                ? FinSucc($"MESSAGE {Num(seq)} {from} {text}")
                : Refuse("MESSAGE"),
        ServerEvent.Whisper(var from, var to, var text) =>
            Syntax.IsValidNick(from) && Syntax.IsValidNick(to) && Syntax.IsValidText(text)
                ? FinSucc($"WHISPER {from} {to} {text}")
                : Refuse("WHISPER"),
        ServerEvent.Ping(var token) => Field("PING", token),
        ServerEvent.Pong(var token) => Field("PONG", token),
        ServerEvent.Error(var code, var text) =>
            code is >= 100 and <= 999 && Syntax.IsValidField(text)
                ? FinSucc(Words.WithOptional($"ERROR {Num(code)}", text))
                : Refuse("ERROR"),
        ServerEvent.Bye(var reason) => Field("BYE", reason),
        ServerEvent.TokenIssued(var token, var expires) =>
            Secret.IsValidToken(token.Value) && IsWholeUtcSecond(expires)
                ? FinSucc($"TOKEN {token.Value} {expires.UtcDateTime.ToString(ExpiresFormat, CultureInfo.InvariantCulture)}")
                : Refuse("TOKEN"),
        ServerEvent.Forgotten => FinSucc("FORGOTTEN"),
        _ => Refuse(e.GetType().Name),
    };

    /// <summary>
    /// Renders an event as the bytes a server writes: UTF-8 followed by LF. The result is always that of
    /// <see cref="Encode"/> followed by <see cref="LineFramer.ToWire"/>, refusals included. The lines a server
    /// sends most often (MESSAGE and JOINED to every member, and USERS to every newcomer) are written
    /// straight to bytes: a USERS line of hundreds of nicknames would otherwise cost several times its size in
    /// intermediate strings.
    /// </summary>
    public static Fin<byte[]> EncodeLine(ServerEvent e) => e switch
    {
        ServerEvent.Message(var seq, var from, var text) when seq >= 0 && Syntax.IsValidNick(from) && Syntax.IsValidText(text) =>
            WireLine.Of("MESSAGE", seq, from, text),
        ServerEvent.Joined(var seq, var nick) when seq >= 0 && Syntax.IsValidNick(nick) => WireLine.Of("JOINED", seq, nick),
        ServerEvent.Users(var nicks) when nicks.ForAll(Syntax.IsValidNick) => WireLine.Of("USERS", nicks),
        _ => Encode(e).Map(LineFramer.ToWire),
    };

    /// <summary>
    /// Parses one server line. Errors: 400 for an unknown verb or wrong parameters, 422 for control characters
    /// or invalid nicknames and texts.
    /// </summary>
    public static Fin<ServerEvent> Decode(string line)
    {
        if (!Syntax.IsValidField(line)) return ProtocolErrors.ControlCharacters;
        var (verb, rest) = Words.SplitFirst(line);
        return Words.CanonicalVerb(verb, Known) switch
        {
            "HELLO" => DecodeHello(rest),
            "WELCOME" => rest is not null && Syntax.IsValidNick(rest)
                ? new ServerEvent.Welcome(rest)
                : ProtocolErrors.Usage("WELCOME <nick>"),
            "USERS" => DecodeUsers(rest),
            "DENIED" => new ServerEvent.Denied(rest ?? ""),
            "JOINED" => WithSeqAndNick(rest, "JOINED <seq> <nick>",
                (seq, nick, tail) => tail is null ? new ServerEvent.Joined(seq, nick) : ProtocolErrors.Usage("JOINED <seq> <nick>")),
            "LEFT" => WithSeqAndNick(rest, "LEFT <seq> <nick> [reason]",
                (seq, nick, tail) => new ServerEvent.Left(seq, nick, tail ?? "")),
            "MESSAGE" => WithSeqAndNick(rest, "MESSAGE <seq> <nick> <text>",
                (seq, nick, tail) => tail is not null && Syntax.IsValidText(tail)
                    ? new ServerEvent.Message(seq, nick, tail)
                    : ProtocolErrors.InvalidText),
            "WHISPER" => DecodeWhisper(rest),
            "PING" => new ServerEvent.Ping(rest ?? ""),
            "PONG" => new ServerEvent.Pong(rest ?? ""),
            "ERROR" => DecodeError(rest),
            "BYE" => new ServerEvent.Bye(rest ?? ""),
            "TOKEN" => DecodeToken(rest),
            "FORGOTTEN" => Words.IsNone(rest) ? new ServerEvent.Forgotten() : ProtocolErrors.Usage("FORGOTTEN"),
            _ => ProtocolErrors.UnknownVerb(verb),
        };
    }

    private static readonly string[] Known =
        ["HELLO", "WELCOME", "USERS", "DENIED", "JOINED", "LEFT", "MESSAGE", "WHISPER", "PING", "PONG", "ERROR", "BYE", "TOKEN", "FORGOTTEN"];

    /// <summary>How TOKEN writes its expiry: UTC to the second, ISO 8601.</summary>
    private const string ExpiresFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private static bool IsWholeUtcSecond(DateTimeOffset t) => t.Offset == TimeSpan.Zero && t.Ticks % TimeSpan.TicksPerSecond == 0;

    private static Fin<ServerEvent> DecodeToken(string? rest)
    {
        var (token, expires) = Words.SplitFirst(rest ?? "");
        return Secret.IsValidToken(token) && expires is not null
               && DateTimeOffset.TryParseExact(expires, ExpiresFormat, CultureInfo.InvariantCulture,
                   DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? new ServerEvent.TokenIssued(new Secret(token), at)
            : ProtocolErrors.Usage("TOKEN <token> <expires>");
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static Fin<string> Field(string verb, string value) =>
        Syntax.IsValidField(value) ? FinSucc(Words.WithOptional(verb, value)) : Refuse(verb);

    private static Fin<string> Refuse(string verb) => ProtocolErrors.Unencodable(verb);

    private static Fin<ServerEvent> DecodeHello(string? rest)
    {
        var (product, version) = Words.SplitFirst(rest ?? "");
        return Syntax.IsValidWord(product) && version is not null
               && int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? new ServerEvent.Hello(product, v)
            : ProtocolErrors.Usage("HELLO <product> <version>");
    }

    private static Fin<ServerEvent> DecodeUsers(string? rest)
    {
        if (Words.IsNone(rest)) return new ServerEvent.Users(Empty);
        var nicks = toSeq(rest!.Split(' '));
        return nicks.ForAll(Syntax.IsValidNick) ? new ServerEvent.Users(nicks.Strict()) : ProtocolErrors.InvalidNick;
    }

    private static Fin<ServerEvent> DecodeWhisper(string? rest)
    {
        var (from, afterFrom) = Words.SplitFirst(rest ?? "");
        var (to, text) = Words.SplitFirst(afterFrom ?? "");
        if (afterFrom is null || text is null) return ProtocolErrors.Usage("WHISPER <from> <to> <text>");
        if (!Syntax.IsValidNick(from) || !Syntax.IsValidNick(to)) return ProtocolErrors.InvalidNick;
        return Syntax.IsValidText(text) ? new ServerEvent.Whisper(from, to, text) : ProtocolErrors.InvalidText;
    }

    private static Fin<ServerEvent> DecodeError(string? rest)
    {
        var (code, text) = Words.SplitFirst(rest ?? "");
        return code.Length == 3 && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c >= 100
            ? new ServerEvent.Error(c, text ?? "")
            : ProtocolErrors.Usage("ERROR <code> <text>");
    }

    private static Fin<ServerEvent> WithSeqAndNick(
        string? rest, string usage, Func<long, string, string?, Fin<ServerEvent>> then)
    {
        var (seqText, afterSeq) = Words.SplitFirst(rest ?? "");
        if (afterSeq is null || !Words.TryParseSeq(seqText, out var seq)) return ProtocolErrors.Usage(usage);
        var (nick, tail) = Words.SplitFirst(afterSeq);
        return Syntax.IsValidNick(nick) ? then(seq, nick, tail) : ProtocolErrors.InvalidNick;
    }
}
