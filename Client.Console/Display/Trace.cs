using ChatRoom.Client.Session;
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
        _ => $"> {line}",
    };

    /// <summary>A line received, as it came (after framing).</summary>
    public static string Received(string line) => $"< {line}";

    /// <summary>A change of the client's phase.</summary>
    public static string Changed(ClientPhase from, ClientPhase to) => $"# state: {from.Describe()} -> {to.Describe()}";

    /// <summary>Anything else worth seeing: connecting, a timer started, the connection closed.</summary>
    public static string Note(string what) => $"# {what}";
}
