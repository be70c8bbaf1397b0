using ChatRoom.Core.Client;

namespace ChatRoom.Client.FullScreen;

/// <summary>The connection as the status line tells it.</summary>
public abstract record Connection
{
    private Connection() { }

    /// <summary>No session yet, or the last one ended; <paramref name="Why"/> is empty when nothing went wrong.</summary>
    public sealed record Offline(string Why) : Connection;

    /// <summary>A session in progress, in the phase the reducer says.</summary>
    public sealed record Online(ClientPhase Phase, string Endpoint, string Nick, bool Tls, string? Fingerprint) : Connection;
}

/// <summary>
/// The status line: the connection state, TLS and the certificate's fingerprint when the connection is secure,
/// and whether the bell is off. The session does not measure lag (it answers the server's PING and sends none
/// of its own), so none is shown.
/// </summary>
public static class StatusText
{
    public static string Of(Connection connection, bool bell)
    {
        var text = connection switch
        {
            Connection.Offline { Why.Length: 0 } => "not connected: fill in the login above and press Join",
            Connection.Offline offline => $"not connected: {offline.Why}",
            Connection.Online { Phase: ClientPhase.Connecting } o => $"connecting to {o.Endpoint}{Secure(o)}",
            Connection.Online { Phase: ClientPhase.AwaitingLogin } o => $"logging in to {o.Endpoint} as {o.Nick}{Secure(o)}",
            Connection.Online { Phase: ClientPhase.InRoom } o => $"in the room as {o.Nick} on {o.Endpoint}{Secure(o)}",
            Connection.Online o => $"closed: {o.Endpoint}",
            _ => "",
        };
        return bell ? text : text + " · bell off";
    }

    private static string Secure(Connection.Online o) =>
        !o.Tls ? "" : o.Fingerprint is { Length: > 0 } f ? $" · TLS {f}" : " · TLS";
}
