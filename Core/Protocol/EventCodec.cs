using System.Globalization;
using static LanguageExt.Prelude;

namespace ChatRoom.Core.Protocol;

/// <summary>
/// Server-to-client lines: <see cref="Encode(ServerEvent, int)"/> renders a <see cref="ServerEvent"/> as a line without its LF,
/// <see cref="Decode(string, int)"/> (used by clients) parses one back. Decode is total and never throws.
/// </summary>
public static class EventCodec
{
    /// <summary>
    /// Renders an event as protocol 1 writes it. Refuses (422) invalid nicknames or texts and any field holding CR,
    /// LF, NUL or another control character, so a value can never turn into two lines on the wire.
    /// </summary>
    public static Fin<string> Encode(ServerEvent e) => Encode(e, ProtocolVersion.First);

    /// <summary>
    /// Renders an event as protocol <paramref name="version"/> writes it: from 2 on, JOINED, LEFT and MESSAGE carry
    /// the server's time after their seq. Lines that exist only in protocol 2 (HISTORY, END, PROTOCOL) are written
    /// the same whatever the version. Refuses what <see cref="Encode(ServerEvent)"/> refuses.
    /// </summary>
    public static Fin<string> Encode(ServerEvent e, int version) => e switch
    {
        ServerEvent.Hello hello =>
            Syntax.IsValidWord(hello.Product) && hello.Version >= 0 && hello.Limits.ForAll(IsValidLimit)
                ? FinSucc(string.Concat($"HELLO {hello.Product} {Num(hello.Version)}", string.Concat(hello.Limits.Map(l => $" {l.Name}={l.Value}"))))
                : Refuse("HELLO"),
        ServerEvent.Welcome(var nick) => Syntax.IsValidNick(nick) ? FinSucc($"WELCOME {nick}") : Refuse("WELCOME"),
        ServerEvent.Users(var nicks) =>
            nicks.ForAll(Syntax.IsValidNick)
                ? FinSucc(nicks.IsEmpty ? "USERS" : "USERS " + string.Join(' ', nicks))
                : Refuse("USERS"),
        ServerEvent.Denied(var reason) => Field("DENIED", reason),
        ServerEvent.Joined(var seq, var nick) j =>
            seq >= 0 && Syntax.IsValidNick(nick) ? FinSucc($"JOINED {Num(seq)}{Time(j.At, version)} {nick}") : Refuse("JOINED"),
        ServerEvent.Presence(var seq, var joined, var left) =>
            seq >= 0 && !(joined.IsEmpty && left.IsEmpty) && EachOnce(joined, left)
                ? FinSucc(string.Concat($"PRESENCE {Num(seq)}", string.Concat(joined.Map(n => " +" + n)), string.Concat(left.Map(n => " -" + n))))
                : Refuse("PRESENCE"),
        ServerEvent.Left(var seq, var nick, var reason) l =>
            seq >= 0 && Syntax.IsValidNick(nick) && Syntax.IsValidField(reason)
                ? FinSucc(Words.WithOptional($"LEFT {Num(seq)}{Time(l.At, version)} {nick}", reason))
                : Refuse("LEFT"),
        ServerEvent.Message(var seq, var from, var text) m =>
            seq >= 0 && Syntax.IsValidNick(from) && Syntax.IsValidText(text)
                ? FinSucc($"MESSAGE {Num(seq)}{Time(m.At, version)} {from} {text}")
                : Refuse("MESSAGE"),
        ServerEvent.History(var inner) =>
            inner is ServerEvent.Joined or ServerEvent.Left or ServerEvent.Message
                ? Encode(inner, ProtocolVersion.Highest).Map(line => $"HISTORY {line}")
                : Refuse("HISTORY"),
        ServerEvent.End(var what, var count) =>
            what is "USERS" or "HISTORY" && count >= 0 ? FinSucc($"END {what} {Num(count)}") : Refuse("END"),
        ServerEvent.ProtocolSet(var v) => v >= 1 ? FinSucc($"PROTOCOL {Num(v)}") : Refuse("PROTOCOL"),
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

    /// <summary>Renders an event as the bytes a protocol 1 connection is sent (see <see cref="EncodeLine(ServerEvent, int)"/>).</summary>
    public static Fin<byte[]> EncodeLine(ServerEvent e) => EncodeLine(e, ProtocolVersion.First);

    /// <summary>
    /// Renders an event as the bytes a server writes to a connection speaking <paramref name="version"/>: UTF-8
    /// followed by LF. The result is always that of <see cref="Encode(ServerEvent, int)"/> followed by
    /// <see cref="LineFramer.ToWire"/>, refusals included. The lines a server sends most often (MESSAGE and JOINED
    /// to every member, and USERS to every newcomer) are written straight to bytes: a USERS line of hundreds of
    /// nicknames would otherwise cost several times its size in intermediate strings.
    /// </summary>
    public static Fin<byte[]> EncodeLine(ServerEvent e, int version) => e switch
    {
        ServerEvent.Message(var seq, var from, var text) when seq >= 0 && Syntax.IsValidNick(from) && Syntax.IsValidText(text) =>
            version >= 2 ? WireLine.Of("MESSAGE", seq, ProtocolVersion.FormatTime(((ServerEvent.Message)e).At), from, text) : WireLine.Of("MESSAGE", seq, from, text),
        ServerEvent.Joined(var seq, var nick) when seq >= 0 && Syntax.IsValidNick(nick) =>
            version >= 2 ? WireLine.Of("JOINED", seq, ProtocolVersion.FormatTime(((ServerEvent.Joined)e).At), nick) : WireLine.Of("JOINED", seq, nick),
        ServerEvent.Users(var nicks) when nicks.ForAll(Syntax.IsValidNick) => WireLine.Of("USERS", nicks),
        _ => Encode(e, version).Map(LineFramer.ToWire),
    };

    private static string Time(DateTimeOffset at, int version) => version >= 2 ? " " + ProtocolVersion.FormatTime(at) : "";

    private static bool IsValidLimit(Limit limit) =>
        Syntax.IsValidWord(limit.Name) && !limit.Name.Contains('=') && Syntax.IsValidWord(limit.Value);

    /// <summary>
    /// Parses one server line as protocol 1 writes it. Errors: 400 for an unknown verb or wrong parameters, 422 for
    /// control characters or invalid nicknames and texts.
    /// </summary>
    public static Fin<ServerEvent> Decode(string line) => Decode(line, ProtocolVersion.First);

    /// <summary>
    /// Parses one server line as protocol <paramref name="version"/> writes it (from 2 on, JOINED, LEFT and MESSAGE
    /// carry a time after their seq). Lines of protocol 2 (HISTORY, END, PROTOCOL) parse whatever the version.
    /// Errors as in <see cref="Decode(string)"/>.
    /// </summary>
    public static Fin<ServerEvent> Decode(string line, int version)
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
            "JOINED" or "LEFT" or "MESSAGE" => DecodeRoomEvent(Words.CanonicalVerb(verb, Known), rest, version),
            "HISTORY" => DecodeHistory(rest),
            "END" => DecodeEnd(rest),
            "PROTOCOL" => rest is not null && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1
                ? new ServerEvent.ProtocolSet(v)
                : ProtocolErrors.Usage("PROTOCOL <version>"),
            "PRESENCE" => DecodePresence(rest),
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
        ["HELLO", "WELCOME", "USERS", "DENIED", "JOINED", "LEFT", "MESSAGE", "WHISPER", "PING", "PONG", "ERROR", "BYE", "TOKEN", "FORGOTTEN",
         "HISTORY", "END", "PROTOCOL", "PRESENCE"];

    /// <summary>Every nick valid, and named once in the two lists together.</summary>
    private static bool EachOnce(Seq<string> joined, Seq<string> left)
    {
        // A plain loop: concatenating LanguageExt sequences here made NativeAOT's scanner recurse on nested sequence types.
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var nick in joined)
            if (!Syntax.IsValidNick(nick) || !seen.Add(nick)) return false;
        foreach (var nick in left)
            if (!Syntax.IsValidNick(nick) || !seen.Add(nick)) return false;
        return true;
    }

    /// <summary><c>PRESENCE &lt;seq&gt; +nick... -nick...</c>: at least one change, each nick valid and in one list at most.</summary>
    private static Fin<ServerEvent> DecodePresence(string? rest)
    {
        var usage = ProtocolErrors.Usage("PRESENCE <seq> +nick|-nick...");
        if (rest is null) return usage;
        var words = rest.Split(' ');
        if (words.Length < 2 || !long.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) return usage;
        var joined = new List<string>();
        var left = new List<string>();
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words.Skip(1))
        {
            if (word.Length < 2 || word[0] is not ('+' or '-') || !Syntax.IsValidNick(word[1..]) || !seen.Add(word[1..])) return usage;
            (word[0] == '+' ? joined : left).Add(word[1..]);
        }
        return new ServerEvent.Presence(seq, joined.ToSeq().Strict(), left.ToSeq().Strict());
    }

    /// <summary>JOINED, LEFT or MESSAGE; from protocol 2 on with a time after the seq.</summary>
    private static Fin<ServerEvent> DecodeRoomEvent(string verb, string? rest, int version)
    {
        var usage = (verb, version >= 2) switch
        {
            ("JOINED", false) => "JOINED <seq> <nick>",
            ("LEFT", false) => "LEFT <seq> <nick> [reason]",
            ("MESSAGE", false) => "MESSAGE <seq> <nick> <text>",
            ("JOINED", true) => "JOINED <seq> <time> <nick>",
            ("LEFT", true) => "LEFT <seq> <time> <nick> [reason]",
            _ => "MESSAGE <seq> <time> <nick> <text>",
        };
        var at = default(DateTimeOffset);
        if (version >= 2)
        {
            var (seqText, afterSeq) = Words.SplitFirst(rest ?? "");
            var (timeText, afterTime) = Words.SplitFirst(afterSeq ?? "");
            if (afterSeq is null || afterTime is null || !ProtocolVersion.TryParseTime(timeText, out at)) return ProtocolErrors.Usage(usage);
            rest = $"{seqText} {afterTime}";
        }
        return WithSeqAndNick(rest, usage, (seq, nick, tail) => verb switch
        {
            "JOINED" => tail is null ? new ServerEvent.Joined(seq, nick) { At = at } : ProtocolErrors.Usage(usage),
            "LEFT" => new ServerEvent.Left(seq, nick, tail ?? "") { At = at },
            _ => tail is not null && Syntax.IsValidText(tail) ? new ServerEvent.Message(seq, nick, tail) { At = at } : ProtocolErrors.InvalidText,
        });
    }

    /// <summary><c>HISTORY &lt;event&gt;</c>: a JOINED, LEFT or MESSAGE as protocol 2 writes it.</summary>
    private static Fin<ServerEvent> DecodeHistory(string? rest)
    {
        var (verb, _) = Words.SplitFirst(rest ?? "");
        return Words.CanonicalVerb(verb, Known) is "JOINED" or "LEFT" or "MESSAGE"
            ? Decode(rest!, ProtocolVersion.Highest).Map(inner => (ServerEvent)new ServerEvent.History(inner))
            : ProtocolErrors.Usage("HISTORY <event>");
    }

    private static Fin<ServerEvent> DecodeEnd(string? rest)
    {
        var (what, count) = Words.SplitFirst(rest ?? "");
        return what is "USERS" or "HISTORY" && count is not null && Words.TryParseSeq(count, out var n)
            ? new ServerEvent.End(what, n)
            : ProtocolErrors.Usage("END <what> <count>");
    }

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

    /// <summary>
    /// <c>HELLO product version [name=value]...</c>. Limits a client does not know are kept, and a word that is not
    /// <c>name=value</c> is a usage error: a client reads what it needs and ignores the rest.
    /// </summary>
    private static Fin<ServerEvent> DecodeHello(string? rest)
    {
        var (product, afterProduct) = Words.SplitFirst(rest ?? "");
        var (version, limits) = Words.SplitFirst(afterProduct ?? "");
        if (!Syntax.IsValidWord(product) || afterProduct is null
            || !int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            return ProtocolErrors.Usage("HELLO <product> <version> [name=value]...");
        var parsed = new List<Limit>();
        foreach (var word in limits is null ? [] : limits.Split(' '))
        {
            var eq = word.IndexOf('=');
            if (eq <= 0 || eq == word.Length - 1) return ProtocolErrors.Usage("HELLO <product> <version> [name=value]...");
            parsed.Add(new Limit(word[..eq], word[(eq + 1)..]));
        }
        return new ServerEvent.Hello(product, v) { Limits = parsed.ToSeq().Strict() };
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
