// The table of client verbs: one entry per verb, holding its name, usage, who may send it, how its parameters
// decode and encode, what it costs and which handler carries it out. Everything else is derived from it:
// CommandCodec.Decode/Encode (a facade that looks the verb up here), StateTable.Verbs/For/VerbOf, Room.Dispatch,
// Room.Cost, and the test that holds docs/PROTOCOL.md's state table to the code.
//
// Why here, in the partial class Room, and not in Core/Protocol: an entry names its handler, and the handlers are
// the room's private methods working on its internal Effects. Splitting each verb into a syntax entry in Protocol
// and a semantics entry in Room would write every verb twice again, which is what this table is for. So the
// protocol's grammar of each verb lives in its entry below, and Core/Protocol keeps what all verbs share: framing,
// Words (splitting), Syntax (nickname and text rules), Secret, ProtocolErrors. Protocol depends on Room only through
// Verb.Named/Verb.Of, which CommandCodec calls.

using System.Globalization;
using ChatRoom.Core.Protocol;
using LanguageExt.Common;

namespace ChatRoom.Core.Room;

public static partial class Room
{
    private const string LoginInProgress = "login already in progress";
    private const string IdentityFixed = "identity cannot be changed after joining";
    private const string ProtocolFixed = "protocol cannot be changed after LOGIN";

    /// <summary>
    /// The client verbs, in the order docs/PROTOCOL.md lists them. Costs are in rate-limit tokens: one unless the
    /// entry says otherwise (and one for a line that did not decode). QUIT costs nothing because it is the way out;
    /// WHO and HISTORY pay for the size of their answer, at most the burst so that a large answer stays affordable.
    /// </summary>
    internal static readonly Verb[] VerbTable =
    [
        Verb.Define<Command.Login>("LOGIN", "LOGIN <nick> <password>", new Access.BeforeLogin(LoginInProgress, IdentityFixed),
            decode: (rest, _) => DecodeLogin(rest),
            encode: login => (login.Nick.Length == 0 || Syntax.IsValidNick(login.Nick)) && Syntax.IsValidField(login.Password)
                ? (login.Password.Length == 0 ? $"LOGIN {login.Nick}" : $"LOGIN {login.Nick} {login.Password}")
                : null,
            carry: Login),

        Verb.Define<Command.Say>("SAY", "SAY <text>", new Access.Members(),
            decode: (rest, _) => rest is not null && Syntax.IsValidText(rest) ? new Command.Say(rest) : ProtocolErrors.InvalidText,
            encode: say => Syntax.IsValidText(say.Text) ? $"SAY {say.Text}" : null,
            carry: (state, session, say, _, fx) => Say(state, session, say.Text, fx)),

        Verb.Define<Command.Whisper>("WHISPER", "WHISPER <nick> <text>", new Access.Members(),
            decode: DecodeWhisper,
            encode: whisper => Syntax.IsValidNick(whisper.To) && Syntax.IsValidText(whisper.Text) ? $"WHISPER {whisper.To} {whisper.Text}" : null,
            carry: (state, session, whisper, _, fx) => Whisper(state, session, whisper, fx)),

        Verb.Bare("WHO", new Access.Members(), () => new Command.Who(),
            carry: (state, session, _, _, fx) => Who(state, session, fx),
            cost: (state, _) => Math.Min(state.Settings.RateBurst, 1 + Math.Max(0, state.RosterBytes) / Math.Max(1, state.Settings.WhoBytesPerToken))),

        Verb.Trailing("PING", "PING [token]", new Access.Anytime(), token => new Command.Ping(token), ping => ping.Token,
            carry: (state, session, ping, _, fx) => Reply(state, session, new ServerEvent.Pong(ping.Token), fx)),

        Verb.Trailing("PONG", "PONG [token]", new Access.Anytime(), token => new Command.Pong(token), pong => pong.Token,
            carry: (state, _, _, _, _) => state),

        Verb.Trailing("QUIT", "QUIT [reason]", new Access.Anytime(), reason => new Command.Quit(reason), quit => quit.Reason,
            carry: (state, session, quit, _, fx) => Quit(state, session, quit.Reason, fx),
            cost: (_, _) => 0),

        Verb.Bare("TOKEN", new Access.Members(), () => new Command.AskToken(),
            carry: (state, session, _, at, fx) => IssueToken(state, session, at, fx)),

        // RESUME is a way to log in, so it follows LOGIN's rules.
        Verb.Define<Command.Resume>("RESUME", "RESUME <nick> <token>", new Access.BeforeLogin(LoginInProgress, IdentityFixed),
            decode: DecodeResume,
            encode: resume => (resume.Nick.Length == 0 || Syntax.IsValidNick(resume.Nick)) && (resume.Token.IsEmpty || Secret.IsValidToken(resume.Token.Value))
                ? Words.WithOptional($"RESUME {resume.Nick}", resume.Token.Value)
                : null,
            carry: Resume),

        Verb.Bare("FORGET", new Access.Members(), () => new Command.Forget(),
            carry: (state, session, _, _, fx) => Forget(state, session, fx)),

        Verb.Define<Command.Protocol>("PROTOCOL", "PROTOCOL <version>", new Access.BeforeLogin(ProtocolFixed, ProtocolFixed),
            decode: (rest, usage) => rest is not null && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1
                ? new Command.Protocol(version)
                : usage,
            encode: protocol => protocol.Version >= 1 ? $"PROTOCOL {protocol.Version.ToString(CultureInfo.InvariantCulture)}" : null,
            carry: (state, session, protocol, _, fx) => UseProtocol(state, session, protocol, fx)),

        Verb.Define<Command.History>("HISTORY", "HISTORY BEFORE <seq> <count>", new Access.Members(),
            decode: DecodeHistory,
            encode: history => history.Before >= 0 && history.Count >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"HISTORY BEFORE {history.Before} {history.Count}")
                : null,
            carry: (state, session, history, _, fx) => History(state, session, history, fx),
            cost: (state, history) => Math.Min(state.Settings.RateBurst,
                1 + Math.Min(history.Count, state.Settings.MaxHistoryPage) / Math.Max(1, state.Settings.HistoryEventsPerToken))),
    ];

    /// <summary>The client verbs, one entry each, in the order docs/PROTOCOL.md lists them.</summary>
    public static Seq<Verb> Verbs { get; } = toSeq(VerbTable).Strict();

    /// <summary>
    /// <c>LOGIN [nick [password]]</c>. A missing nickname or password decodes to an empty one: refusing that
    /// ("log in first") is the room's rule, not the grammar's. The password is the rest of the line.
    /// </summary>
    private static Fin<Command> DecodeLogin(string? rest)
    {
        var (nick, password) = Words.SplitFirst(rest ?? "");
        return nick.Length == 0 || Syntax.IsValidNick(nick)
            ? new Command.Login(nick, password ?? "")
            : ProtocolErrors.InvalidNick;
    }

    private static Fin<Command> DecodeWhisper(string? rest, Error usage)
    {
        if (rest is null) return usage;
        var (to, text) = Words.SplitFirst(rest);
        if (text is null) return usage;
        if (!Syntax.IsValidNick(to)) return ProtocolErrors.InvalidNick;
        return Syntax.IsValidText(text) ? new Command.Whisper(to, text) : ProtocolErrors.InvalidText;
    }

    /// <summary>
    /// <c>RESUME [nick [token]]</c>. A missing part decodes to an empty one (the room answers 401, as for LOGIN);
    /// a token that is not one word of base64url is a usage error, answered before anything is looked up.
    /// </summary>
    private static Fin<Command> DecodeResume(string? rest, Error usage)
    {
        var (nick, token) = Words.SplitFirst(rest ?? "");
        if (nick.Length > 0 && !Syntax.IsValidNick(nick)) return ProtocolErrors.InvalidNick;
        if (!string.IsNullOrEmpty(token) && !Secret.IsValidToken(token)) return usage;
        return new Command.Resume(nick, token is null ? Secret.None : new Secret(token));
    }

    /// <summary><c>HISTORY BEFORE &lt;seq&gt; &lt;count&gt;</c>, count at least 1 (the room caps it).</summary>
    private static Fin<Command> DecodeHistory(string? rest, Error usage)
    {
        var words = (rest ?? "").Split(' ');
        return words.Length == 3 && System.Text.Ascii.EqualsIgnoreCase(words[0], "BEFORE")
               && Words.TryParseSeq(words[1], out var before)
               && int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1
            ? new Command.History(before, count)
            : usage;
    }
}
