using System.Globalization;
using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;
using LanguageExt.Common;

namespace ChatRoom.Client.FullScreen;

/// <summary>What the login area asks the client to do: connect to this server and log in.</summary>
public sealed record LoginRequest(string Host, int Port, string Nick, string Password)
{
    public string Endpoint => $"{Host}:{Port}";

    public override string ToString() => $"LoginRequest {{ {Endpoint}, {Nick}, *** }}";
}

/// <summary>
/// The login area's check before Join connects: every field is there (the refusal names those missing), the
/// server is <c>host</c> or <c>host:port</c>, and the nickname and password pass <see cref="LoginCheck"/>.
/// Nothing is sent when it fails.
/// </summary>
public static class LoginForm
{
    /// <summary>The login to make, or what is wrong with the fields. With <paramref name="passwordOptional"/> (a login
    /// token may be kept for this nickname) an empty password passes, and the shell looks for the token.</summary>
    public static Fin<LoginRequest> Check(string server, string nick, string password, int defaultPort, bool passwordOptional = false)
    {
        server = server.Trim();
        nick = nick.Trim();
        var missing = new List<string>(3);
        if (server.Length == 0) missing.Add("the server");
        if (nick.Length == 0) missing.Add("the nickname");
        if (password.Length == 0 && !passwordOptional) missing.Add("the password");
        if (missing.Count > 0)
            return Fail(missing.Count == 1 ? $"{missing[0]} is missing" : $"{string.Join(", ", missing.Take(missing.Count - 1))} and {missing[^1]} are missing");
        if (Server(server, defaultPort).Case is not (string host, int port))
            return Fail("the server must be host or host:port, with a port between 1 and 65535");
        if (password.Length == 0)
            return Syntax.IsValidNick(nick) ? new LoginRequest(host, port, nick, "") : Fail(ProtocolErrors.InvalidNick.Message);
        var login = LoginCheck.Check(nick, password);
        return login.IsSucc ? new LoginRequest(host, port, nick, password) : Fail(login.Match(_ => "", e => e.Message));
    }

    /// <summary><c>host</c>, <c>host:port</c> or <c>[v6 address]:port</c>.</summary>
    public static Option<(string Host, int Port)> Server(string text, int defaultPort)
    {
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 2) return None;
            var host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length == 0) return (host, defaultPort);
            return rest.StartsWith(':') && Port(rest[1..]) is { IsSome: true } p ? (host, (int)p) : None;
        }
        var colon = text.LastIndexOf(':');
        if (colon < 0) return text.Contains(' ') ? None : (text, defaultPort);
        if (text.IndexOf(':') != colon) return text.Contains(' ') ? None : (text, defaultPort);
        var name = text[..colon];
        if (name.Length == 0 || name.Contains(' ')) return None;
        return Port(text[(colon + 1)..]).Map(port => (name, port));
    }

    private static Option<int> Port(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535 ? port : None;

    private static Fin<LoginRequest> Fail(string message) => FinFail<LoginRequest>(Error.New(message));
}
