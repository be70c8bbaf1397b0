using ChatRoom.Core.Client;

namespace ChatRoom.Client.FullScreen;

/// <summary>The connection as the status line tells it.</summary>
public abstract record Connection
{
    private Connection() { }

    /// <summary>No session yet, or the last one ended; <paramref name="Why"/> is empty when nothing went wrong.</summary>
    public sealed record Offline(string Why) : Connection;

    /// <summary>A session in progress, in the phase the reducer says.</summary>
    public sealed record Online(ClientPhase Phase, string Endpoint, string Nick, bool Tls, string? Fingerprint) : Connection
    {
        /// <summary>Set while the client comes back after a drop.</summary>
        public Option<Rejoin> Rejoining { get; init; }

        /// <summary>The lag the session measured last.</summary>
        public Option<Lag> Lag { get; init; }
    }
}

/// <summary>
/// The status line: the connection state (reconnecting included), TLS and the certificate's fingerprint when the
/// connection is secure, the lag measured by the session's own PINGs, and whether the bell is off.
/// </summary>
public static class StatusText
{
    public static string Of(Connection connection, bool bell)
    {
        var text = connection switch
        {
            Connection.Offline { Why.Length: 0 } => "not connected: fill in the login above and press Join",
            Connection.Offline offline => $"not connected: {offline.Why}",
            Connection.Online { Rejoining.Case: Rejoin r } o =>
                $"reconnecting to {o.Endpoint} (attempt {r.Attempt} of {Backoff.MaxAttempts})…{Secure(o)}",
            Connection.Online { Phase: ClientPhase.Connecting } o => $"connecting to {o.Endpoint}{Secure(o)}",
            Connection.Online { Phase: ClientPhase.AwaitingLogin } o => $"logging in to {o.Endpoint} as {o.Nick}{Secure(o)}",
            Connection.Online { Phase: ClientPhase.InRoom } o => $"in the room as {o.Nick} on {o.Endpoint}{Secure(o)}{Lagging(o)}",
            Connection.Online o => $"closed: {o.Endpoint}",
            _ => "",
        };
        return bell ? text : text + " · bell off";
    }

    /// <summary>" · lag 12 ms", " · lag 1.5 s", or " · lag ≥ 20 s" while a PING is still unanswered; nothing before the first answer.</summary>
    public static string Lagging(Connection.Online o) => o.Lag.Match(
        None: () => "",
        Some: lag => $" · lag {(lag.AtLeast ? "≥ " : "")}{Duration(lag.Value)}");

    private static string Duration(TimeSpan value) => value < TimeSpan.FromSeconds(1)
        ? $"{(int)value.TotalMilliseconds} ms"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.0} s");

    private static string Secure(Connection.Online o) =>
        !o.Tls ? "" : o.Fingerprint is { Length: > 0 } f ? $" · TLS {f}" : " · TLS";
}
