using ChatRoom.Core.Room;

namespace ChatRoom.Core.Protocol;

/// <summary>
/// Client-to-server lines: <see cref="Decode"/> turns a line (without its LF) into a <see cref="Command"/>,
/// <see cref="Encode"/> does the reverse. Decode is total: any string gives a command or an error, never an exception.
/// The grammar of each verb is its entry in the table of verbs, <see cref="Room.Room.Verbs"/> (Core/Room/Room.Verbs.cs);
/// this class splits off the verb, looks it up there and hands it the rest.
/// </summary>
public static class CommandCodec
{
    /// <summary>
    /// Parses one line. Verbs are case-insensitive (ASCII only). Errors: 400 unknown verb or wrong parameters
    /// (quoting the verb's <see cref="Verb.Usage"/>), 422 control characters, an invalid nickname or an
    /// empty/overlong text. LOGIN with a missing nickname or password decodes to a Login with empty fields:
    /// refusing that ("log in first") is the room's rule, not the grammar's.
    /// </summary>
    public static Fin<Command> Decode(string line)
    {
        if (!Syntax.IsValidField(line)) return ProtocolErrors.ControlCharacters;
        // The verb is looked up as a span of the line: only its parameters become a string of their own.
        var space = line.IndexOf(' ');
        var word = space < 0 ? line.AsSpan() : line.AsSpan(0, space);
        var rest = space < 0 ? null : line[(space + 1)..];
        return Verb.Named(word) is { } verb ? verb.Decode(rest) : ProtocolErrors.UnknownVerb(word.ToString());
    }

    /// <summary>
    /// Renders a command as a line without its LF. Refuses (422) an invalid nickname, an invalid text,
    /// and any field holding CR, LF, NUL or another control character, so nothing can smuggle in a second line.
    /// </summary>
    public static Fin<string> Encode(Command command) =>
        Verb.Of(command) is { } verb ? verb.Encode(command) : ProtocolErrors.Unencodable(command.GetType().Name);
}
