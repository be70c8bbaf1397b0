using ChatRoom.Core.Protocol;
using LanguageExt.Common;

namespace ChatRoom.Core.Room;

/// <summary>
/// Who may send a verb: the closed set of kinds the protocol's state table is made of. Every kind ignores a verb
/// in <see cref="Phase.Closed"/> (nothing more is read from a closed connection).
/// </summary>
public abstract record Access
{
    private Access() { }

    /// <summary>Accepted in every phase but Closed (PING, PONG, QUIT: keepalive and the way out work always).</summary>
    public sealed record Anytime : Access;

    /// <summary>
    /// Accepted before LOGIN only; refused with 403 and <paramref name="WhileChecking"/> while a password is being
    /// checked, and with 403 and <paramref name="AfterJoining"/> once in the room.
    /// </summary>
    public sealed record BeforeLogin(string WhileChecking, string AfterJoining) : Access
    {
        internal Rule Checking { get; } = new Rule.Refuse(ErrorCodes.IdentityLocked, WhileChecking);
        internal Rule Joined { get; } = new Rule.Refuse(ErrorCodes.IdentityLocked, AfterJoining);
    }

    /// <summary>Accepted in the room only; refused with 401 "log in first" before.</summary>
    public sealed record Members : Access;

    // Made once: the reducer asks for a rule on every line.
    private static readonly Rule Accepted = new Rule.Accept();
    private static readonly Rule Ignored = new Rule.Ignore();
    private static readonly Rule LogInFirst = new Rule.Refuse(ErrorCodes.LogInFirst, "log in first");

    /// <summary>What a connection in <paramref name="phase"/> gets for a verb of this kind.</summary>
    public Rule In(Phase phase) => (this, phase) switch
    {
        (_, Phase.Closed) => Ignored,
        (Anytime, _) => Accepted,
        (BeforeLogin, Phase.AwaitingLogin) => Accepted,
        (BeforeLogin b, Phase.CheckingPassword) => b.Checking,
        (BeforeLogin b, Phase.InRoom) => b.Joined,
        (Members, Phase.InRoom) => Accepted,
        (Members, Phase.AwaitingLogin or Phase.CheckingPassword) => LogInFirst,
        _ => Ignored,
    };
}

/// <summary>
/// One client verb: everything the server knows about it, in one entry of <see cref="Room.Verbs"/>. The public
/// half (name, usage, who may send it, the command it decodes to) is what the docs and the shells read; the
/// internal half (decode, encode, cost, handler) is what <see cref="CommandCodec"/> and the reducer run.
/// </summary>
public abstract class Verb
{
    private protected Verb(string name, string usage, Access access)
    {
        Name = name;
        Usage = usage;
        Access = access;
        UsageError = ProtocolErrors.Usage(usage);
    }

    /// <summary>The verb as written on the wire, in upper case (decoding ignores ASCII case).</summary>
    public string Name { get; }

    /// <summary>Its grammar, as quoted in its 400 "usage:" error: <c>HISTORY BEFORE &lt;seq&gt; &lt;count&gt;</c>.</summary>
    public string Usage { get; }

    /// <summary>Who may send it; <see cref="RuleIn"/> is derived from it.</summary>
    public Access Access { get; }

    /// <summary>The <see cref="Command"/> case it decodes to (one verb per case).</summary>
    public abstract Type CommandType { get; }

    /// <summary>What a connection in <paramref name="phase"/> gets for this verb (the state table's cell).</summary>
    public Rule RuleIn(Phase phase) => Access.In(phase);

    /// <summary>The 400 error quoting <see cref="Usage"/>, made once.</summary>
    internal Error UsageError { get; }

    /// <summary>The verb named <paramref name="word"/>, ignoring ASCII case only (no exotic letter passes for one).</summary>
    public static Verb? Named(ReadOnlySpan<char> word)
    {
        foreach (var verb in Room.VerbTable)
            if (System.Text.Ascii.EqualsIgnoreCase(word, verb.Name)) return verb;
        return null;
    }

    /// <summary>The verb of <paramref name="command"/>; null only for a case missing from the table (a test forbids it).</summary>
    public static Verb? Of(Command command)
    {
        foreach (var verb in Room.VerbTable)
            if (verb.Carries(command)) return verb;
        return null;
    }

    internal abstract bool Carries(Command command);

    /// <summary>The parameters (the line after the verb and its space; null when there is no space) as a command.</summary>
    internal abstract Fin<Command> Decode(string? rest);

    /// <summary>The whole line for a command this verb <see cref="Carries"/>; 422 when a field cannot go on the wire.</summary>
    internal abstract Fin<string> Encode(Command command);

    /// <summary>The rate-limit tokens the command costs (see <see cref="Room.Verbs"/>).</summary>
    internal abstract double Cost(RoomState state, Command command);

    /// <summary>Carries out the command for a session the state table accepted it from.</summary>
    internal abstract RoomState Carry(RoomState state, Session session, Command command, DateTimeOffset at, Effects fx);

    /// <summary>
    /// An entry for the command case <typeparamref name="TCommand"/>. <paramref name="decode"/> gets the parameters
    /// and this verb's usage error; <paramref name="encode"/> returns the line, or null when the command cannot be
    /// put on the wire (answered 422 "cannot encode VERB"); <paramref name="cost"/> defaults to one token.
    /// </summary>
    internal static Verb Define<TCommand>(
        string name, string usage, Access access,
        Func<string?, Error, Fin<Command>> decode,
        Func<TCommand, string?> encode,
        Handler<TCommand> carry,
        Func<RoomState, TCommand, double>? cost = null) where TCommand : Command =>
        new Entry<TCommand>(name, usage, access, decode, encode, carry, cost);

    /// <summary>A verb with no parameters: anything after it is a usage error.</summary>
    internal static Verb Bare<TCommand>(string name, Access access, Func<TCommand> make, Handler<TCommand> carry,
        Func<RoomState, TCommand, double>? cost = null) where TCommand : Command =>
        Define(name, name, access, (rest, usage) => Words.IsNone(rest) ? make() : usage, _ => name, carry, cost);

    /// <summary>A verb with one optional parameter that runs to the end of the line (<c>PING [token]</c>).</summary>
    internal static Verb Trailing<TCommand>(string name, string usage, Access access, Func<string, TCommand> make,
        Func<TCommand, string> field, Handler<TCommand> carry, Func<RoomState, TCommand, double>? cost = null)
        where TCommand : Command =>
        Define(name, usage, access, (rest, _) => make(rest ?? ""),
            command => Syntax.IsValidField(field(command)) ? Words.WithOptional(name, field(command)) : null, carry, cost);

    /// <summary>What carrying out a <typeparamref name="TCommand"/> does to the room.</summary>
    internal delegate RoomState Handler<in TCommand>(RoomState state, Session session, TCommand command, DateTimeOffset at, Effects fx);

    private sealed class Entry<TCommand>(
        string name, string usage, Access access,
        Func<string?, Error, Fin<Command>> decode,
        Func<TCommand, string?> encode,
        Handler<TCommand> carry,
        Func<RoomState, TCommand, double>? cost) : Verb(name, usage, access) where TCommand : Command
    {
        public override Type CommandType => typeof(TCommand);

        internal override bool Carries(Command command) => command is TCommand;

        internal override Fin<Command> Decode(string? rest) => decode(rest, UsageError);

        // FinSucc, not the bare line: a string also converts to an Error, and the conditional would pick that.
        internal override Fin<string> Encode(Command command) =>
            command is TCommand c && encode(c) is { } line ? FinSucc(line) : ProtocolErrors.Unencodable(Name);

        internal override double Cost(RoomState state, Command command) =>
            cost is null || command is not TCommand c ? 1 : cost(state, c);

        internal override RoomState Carry(RoomState state, Session session, Command command, DateTimeOffset at, Effects fx) =>
            command is TCommand c ? carry(state, session, c, at, fx) : state;
    }
}
