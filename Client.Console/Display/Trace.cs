using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Display;

/// <summary>
/// The lines <c>--trace</c> prints: <c>&gt; </c> before each line sent, <c>&lt; </c> before each line received,
/// <c># </c> before each state change and connection event. A password never appears.
/// </summary>
public static class Trace
{
    /// <summary>A line sent; LOGIN shows <c>***</c> in place of the password.</summary>
    public static string Sent(Command command, string line) => command switch
    {
        Command.Login login => login.Password.Length == 0 ? $"> LOGIN {login.Nick}" : $"> LOGIN {login.Nick} ***",
        Command.Resume resume => $"> RESUME {resume.Nick} ***",
        _ => $"> {line}",
    };

    /// <summary>A line received, as it came (after framing); a TOKEN line shows <c>***</c> in place of the token.</summary>
    public static string Received(string line) =>
        line.StartsWith("TOKEN ", StringComparison.OrdinalIgnoreCase) && line.Split(' ') is [var verb, _, .. var rest]
            ? $"< {string.Join(' ', [verb, "***", .. rest])}"
            : $"< {line}";

    /// <summary>A change of the client's phase.</summary>
    public static string Changed(ClientPhase from, ClientPhase to) => $"# state: {from.Describe()} -> {to.Describe()}";

    /// <summary>Anything else worth seeing: connecting, a timer started, the connection closed.</summary>
    public static string Note(string what) => $"# {what}";
}
