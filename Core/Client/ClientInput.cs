using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Client;

/// <summary>
/// What happens to the client, as data: server lines, typed lines, the clock's ticks and the connection's fate. Each input
/// carries the time it happened, so the reducer never reads a clock. A closed hierarchy.
/// </summary>
public abstract record ClientInput
{
    private ClientInput() { }

    /// <summary>When the input happened (local time, shown in the transcript).</summary>
    public abstract DateTimeOffset At { get; init; }

    /// <summary>A line from the server, decoded (or the reason it could not be framed or decoded).</summary>
    public sealed record ServerLine(Fin<ServerEvent> Event, DateTimeOffset At) : ClientInput;

    /// <summary>A line typed by the person or read from the script.</summary>
    public sealed record UserLine(string Text, DateTimeOffset At) : ClientInput;

    /// <summary>End of standard input, or Ctrl+D on an empty line: leave once every earlier line is handled.</summary>
    public sealed record InputEnded(DateTimeOffset At) : ClientInput;

    /// <summary>Ctrl+C or SIGTERM: leave now.</summary>
    public sealed record Interrupted(DateTimeOffset At) : ClientInput;

    /// <summary>The TCP connection could not be opened.</summary>
    public sealed record ConnectFailed(string Reason, DateTimeOffset At) : ClientInput;

    /// <summary>The TLS server's certificate was not trusted (see <see cref="CertificateTrust"/>): nothing was sent.</summary>
    public sealed record Untrusted(string Reason, DateTimeOffset At) : ClientInput;

    /// <summary>The connection ended (the server closed it, or it broke).</summary>
    public sealed record Disconnected(string Reason, DateTimeOffset At) : ClientInput;

    /// <summary>
    /// The clock: time has come to <paramref name="At"/>. Every deadline in the state at or before it is acted on
    /// (see <see cref="ClientState.NextDeadline"/>); a tick before any deadline does nothing, so the shell may tick
    /// late or too often, never wrongly.
    /// </summary>
    public sealed record Tick(DateTimeOffset At) : ClientInput;
}
