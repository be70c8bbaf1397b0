using System.Globalization;
using LanguageExt.Common;
using static LanguageExt.Prelude;

namespace ChatRoom.Core.Protocol;

/// <summary>
/// Client-to-server lines: <see cref="Decode"/> turns a line (without its LF) into a <see cref="Command"/>,
/// <see cref="Encode"/> does the reverse. Decode is total: any string gives a command or an error, never an exception.
/// </summary>
public static class CommandCodec
{
    /// <summary>
    /// Parses one line. Verbs are case-insensitive (ASCII only). Errors: 400 unknown verb or wrong parameters,
    /// 422 control characters, an invalid nickname or an empty/overlong text.
    /// LOGIN with a missing nickname or password decodes to a Login with empty fields: refusing that
    /// ("log in first") is the room's rule, not the grammar's.
    /// </summary>
    public static Fin<Command> Decode(string line)
    {
        if (!Syntax.IsValidField(line)) return ProtocolErrors.ControlCharacters;
        var (verb, rest) = Words.SplitFirst(line);
        return Words.CanonicalVerb(verb, Known) switch
        {
            "LOGIN" => DecodeLogin(rest),
            "SAY" => rest is not null && Syntax.IsValidText(rest)
                ? new Command.Say(rest)
                : ProtocolErrors.InvalidText,
            "WHISPER" => DecodeWhisper(rest),
            "WHO" => Words.IsNone(rest) ? new Command.Who() : ProtocolErrors.Usage("WHO"),
            "PING" => new Command.Ping(rest ?? ""),
            "PONG" => new Command.Pong(rest ?? ""),
            "QUIT" => new Command.Quit(rest ?? ""),
            "TOKEN" => Words.IsNone(rest) ? new Command.AskToken() : ProtocolErrors.Usage("TOKEN"),
            "RESUME" => DecodeResume(rest),
            "FORGET" => Words.IsNone(rest) ? new Command.Forget() : ProtocolErrors.Usage("FORGET"),
            "PROTOCOL" => rest is not null && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1
                ? new Command.Protocol(version)
                : ProtocolErrors.Usage("PROTOCOL <version>"),
            "HISTORY" => DecodeHistory(rest),
            _ => ProtocolErrors.UnknownVerb(verb),
        };
    }

    /// <summary>
    /// Renders a command as a line without its LF. Refuses (422) an invalid nickname, an invalid text,
    /// and any field holding CR, LF, NUL or another control character, so nothing can smuggle in a second line.
    /// </summary>
    public static Fin<string> Encode(Command command) => command switch
    {
        Command.Login(var nick, var password) =>
            (nick.Length == 0 || Syntax.IsValidNick(nick)) && Syntax.IsValidField(password)
                ? FinSucc(password.Length == 0 ? $"LOGIN {nick}" : $"LOGIN {nick} {password}")
                : ProtocolErrors.Unencodable("LOGIN"),
        Command.Say(var text) =>
            Syntax.IsValidText(text) ? FinSucc($"SAY {text}") : ProtocolErrors.Unencodable("SAY"),
        Command.Whisper(var to, var text) =>
            Syntax.IsValidNick(to) && Syntax.IsValidText(text)
                ? FinSucc($"WHISPER {to} {text}")
                : ProtocolErrors.Unencodable("WHISPER"),
        Command.Who => FinSucc("WHO"),
        Command.Ping(var token) => Optional("PING", token),
        Command.Pong(var token) => Optional("PONG", token),
        Command.Quit(var reason) => Optional("QUIT", reason),
        Command.AskToken => FinSucc("TOKEN"),
        Command.Resume(var nick, var token) =>
            (nick.Length == 0 || Syntax.IsValidNick(nick)) && (token.IsEmpty || Secret.IsValidToken(token.Value))
                ? FinSucc(Words.WithOptional($"RESUME {nick}", token.Value))
                : ProtocolErrors.Unencodable("RESUME"),
        Command.Forget => FinSucc("FORGET"),
        Command.Protocol(var version) => version >= 1 ? FinSucc($"PROTOCOL {version.ToString(CultureInfo.InvariantCulture)}") : ProtocolErrors.Unencodable("PROTOCOL"),
        Command.History(var before, var count) => before >= 0 && count >= 1
            ? FinSucc(string.Create(CultureInfo.InvariantCulture, $"HISTORY BEFORE {before} {count}"))
            : ProtocolErrors.Unencodable("HISTORY"),
        _ => ProtocolErrors.Unencodable(command.GetType().Name),
    };

    private static Fin<string> Optional(string verb, string rest) =>
        Syntax.IsValidField(rest) ? FinSucc(Words.WithOptional(verb, rest)) : ProtocolErrors.Unencodable(verb);

    private static Fin<Command> DecodeLogin(string? rest)
    {
        var (nick, password) = Words.SplitFirst(rest ?? "");
        return nick.Length == 0 || Syntax.IsValidNick(nick)
            ? new Command.Login(nick, password ?? "")
            : ProtocolErrors.InvalidNick;
    }

    /// <summary>
    /// <c>RESUME [nick [token]]</c>. A missing part decodes to an empty one (the room answers 401, as for LOGIN);
    /// a token that is not one word of base64url is a usage error, answered before anything is looked up.
    /// </summary>
    private static Fin<Command> DecodeResume(string? rest)
    {
        var (nick, token) = Words.SplitFirst(rest ?? "");
        if (nick.Length > 0 && !Syntax.IsValidNick(nick)) return ProtocolErrors.InvalidNick;
        if (!string.IsNullOrEmpty(token) && !Secret.IsValidToken(token)) return ProtocolErrors.Usage("RESUME <nick> <token>");
        return new Command.Resume(nick, token is null ? Secret.None : new Secret(token));
    }

    private static Fin<Command> DecodeWhisper(string? rest)
    {
        if (rest is null) return ProtocolErrors.Usage("WHISPER <nick> <text>");
        var (to, text) = Words.SplitFirst(rest);
        if (text is null) return ProtocolErrors.Usage("WHISPER <nick> <text>");
        if (!Syntax.IsValidNick(to)) return ProtocolErrors.InvalidNick;
        return Syntax.IsValidText(text) ? new Command.Whisper(to, text) : ProtocolErrors.InvalidText;
    }

    /// <summary><c>HISTORY BEFORE &lt;seq&gt; &lt;count&gt;</c>, count at least 1 (the room caps it).</summary>
    private static Fin<Command> DecodeHistory(string? rest)
    {
        var words = (rest ?? "").Split(' ');
        return words.Length == 3 && System.Text.Ascii.EqualsIgnoreCase(words[0], "BEFORE")
               && Words.TryParseSeq(words[1], out var before)
               && int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1
            ? new Command.History(before, count)
            : ProtocolErrors.Usage("HISTORY BEFORE <seq> <count>");
    }

    private static readonly string[] Known = ["LOGIN", "SAY", "WHISPER", "WHO", "PING", "PONG", "QUIT", "TOKEN", "RESUME", "FORGET", "PROTOCOL", "HISTORY"];
}
