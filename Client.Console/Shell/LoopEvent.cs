using ChatRoom.Client.Session;

namespace ChatRoom.Client.Shell;

/// <summary>What the other threads hand to the client's loop. Only the loop acts on them.</summary>
internal abstract record LoopEvent
{
    private LoopEvent() { }

    /// <summary>An input for the reducer.</summary>
    public sealed record Input(ClientInput Value) : LoopEvent;

    /// <summary>A framed line from the server, before decoding (so --trace shows it as it came).</summary>
    public sealed record Line(Fin<string> Framed, DateTimeOffset At) : LoopEvent;

    /// <summary>The connection is open.</summary>
    public sealed record Connected(ServerConnection Connection) : LoopEvent;

    /// <summary>A key pressed in interactive mode.</summary>
    public sealed record Key(ConsoleKeyInfo Info) : LoopEvent;
}
