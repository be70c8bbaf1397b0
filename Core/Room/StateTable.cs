using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

/// <summary>What a state does with a verb: carry it out, refuse it with an error code, or ignore it.</summary>
public abstract record Rule
{
    private Rule() { }

    /// <summary>The command is carried out.</summary>
    public sealed record Accept : Rule;

    /// <summary>The command is answered with <c>ERROR code text</c>; the connection stays open.</summary>
    public sealed record Refuse(int Code, string Text) : Rule;

    /// <summary>Nothing is done and nothing is sent (the connection is closed).</summary>
    public sealed record Ignore : Rule;
}

/// <summary>
/// The protocol's state table: for each state, what happens to each client verb. The reducer consults it
/// before anything else, and a test compares it with the table printed in docs/PROTOCOL.md. It is derived from
/// <see cref="Room.Verbs"/>: each verb's <see cref="Access"/> gives its column.
/// </summary>
public static class StateTable
{
    /// <summary>The client verbs, in the order the docs list them.</summary>
    public static readonly Seq<string> Verbs = Room.Verbs.Map(verb => verb.Name).Strict();

    /// <summary>The states, in the order the docs list them.</summary>
    public static readonly Seq<Phase> Phases = Seq(Phase.AwaitingLogin, Phase.CheckingPassword, Phase.InRoom, Phase.Closed);

    /// <summary>
    /// The rule for <paramref name="verb"/> in <paramref name="phase"/>. A word that is no verb is ignored in
    /// Closed and refused with 400 "unknown command" in the other states.
    /// </summary>
    public static Rule For(Phase phase, string verb) =>
        Verb.Named(verb) is { } known ? known.RuleIn(phase)
        : phase == Phase.Closed ? new Rule.Ignore()
        : new Rule.Refuse(ErrorCodes.Malformed, "unknown command");

    /// <summary>The verb of a command, as written on the wire.</summary>
    public static string VerbOf(Command command) => Verb.Of(command)?.Name ?? "?";
}
