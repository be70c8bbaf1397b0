using ChatRoom.Core.Client;

namespace ChatRoom.Client.Shell;

/// <summary>What the other threads hand to the client's loop. Only the loop acts on them.</summary>
internal abstract record LoopEvent
{
    private LoopEvent() { }

    /// <summary>An input for the reducer.</summary>
    public sealed record Input(ClientInput Value) : LoopEvent;

    /// <summary>A framed line from the server, before decoding (so --trace shows it as it came), and the connection it came on.</summary>
    public sealed record Line(Fin<string> Framed, DateTimeOffset At, ServerConnection From) : LoopEvent;

    /// <summary>A connection ended (read or write failed, or the server closed it); ignored unless it is the current one.</summary>
    public sealed record Closed(ServerConnection Connection, string Reason, DateTimeOffset At) : LoopEvent;

    /// <summary>The connection is open.</summary>
    public sealed record Connected(ServerConnection Connection) : LoopEvent;

    /// <summary>A key pressed in interactive mode.</summary>
    public sealed record Key(ConsoleKeyInfo Info) : LoopEvent;

    /// <summary>The <see cref="Alarm"/> armed for <paramref name="Due"/> went off: the loop ticks the reducer.</summary>
    public sealed record Wake(DateTimeOffset Due) : LoopEvent;

    /// <summary>The terminal was resized (SIGWINCH) or the process continued (SIGCONT): redraw the input line.</summary>
    public sealed record Redraw : LoopEvent;
}
