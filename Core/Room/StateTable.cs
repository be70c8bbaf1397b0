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
/// before anything else, and a test compares it with the table printed in docs/PROTOCOL.md.
/// </summary>
public static class StateTable
{
    /// <summary>The client verbs, in the order the docs list them.</summary>
    public static readonly Seq<string> Verbs = Seq("LOGIN", "SAY", "WHISPER", "WHO", "PING", "PONG", "QUIT", "TOKEN", "RESUME", "FORGET", "PROTOCOL", "HISTORY");

    /// <summary>The states, in the order the docs list them.</summary>
    public static readonly Seq<Phase> Phases = Seq(Phase.AwaitingLogin, Phase.CheckingPassword, Phase.InRoom, Phase.Closed);

    private static readonly Rule Accept = new Rule.Accept();
    private static readonly Rule LogInFirst = new Rule.Refuse(ErrorCodes.LogInFirst, "log in first");
    private static readonly Rule LoginInProgress = new Rule.Refuse(ErrorCodes.IdentityLocked, "login already in progress");
    private static readonly Rule IdentityLocked =
        new Rule.Refuse(ErrorCodes.IdentityLocked, "identity cannot be changed after joining");

    private static readonly Rule ProtocolLocked = new Rule.Refuse(ErrorCodes.IdentityLocked, "protocol cannot be changed after LOGIN");

    /// <summary>The rule for <paramref name="verb"/> (upper case) in <paramref name="phase"/>.</summary>
    /// <remarks>RESUME is a way to log in, so it follows LOGIN's rules.</remarks>
    public static Rule For(Phase phase, string verb) => (phase, verb is "RESUME" ? "LOGIN" : verb) switch
    {
        (Phase.Closed, _) => new Rule.Ignore(),
        (Phase.AwaitingLogin, "PROTOCOL") => Accept,
        (_, "PROTOCOL") => ProtocolLocked,
        (_, "PING" or "PONG" or "QUIT") => Accept,
        (Phase.AwaitingLogin, "LOGIN") => Accept,
        (Phase.AwaitingLogin or Phase.CheckingPassword, var v) when v != "LOGIN" => LogInFirst,
        (Phase.CheckingPassword, "LOGIN") => LoginInProgress,
        (Phase.InRoom, "LOGIN") => IdentityLocked,
        (Phase.InRoom, _) => Accept,
        _ => new Rule.Refuse(ErrorCodes.Malformed, "unknown command"),
    };

    /// <summary>The verb of a command, as written on the wire.</summary>
    public static string VerbOf(Command command) => command switch
    {
        Command.Login => "LOGIN",
        Command.Say => "SAY",
        Command.Whisper => "WHISPER",
        Command.Who => "WHO",
        Command.Ping => "PING",
        Command.Pong => "PONG",
        Command.Quit => "QUIT",
        Command.AskToken => "TOKEN",
        Command.Resume => "RESUME",
        Command.Forget => "FORGET",
        Command.Protocol => "PROTOCOL",
        Command.History => "HISTORY",
        _ => "?",
    };
}
