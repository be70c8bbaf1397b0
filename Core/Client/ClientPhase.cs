namespace ChatRoom.Core.Client;

/// <summary>
/// The client's side of the protocol state machine (docs/PROTOCOL.md, section 8). The server has one more state,
/// CheckingPassword, which the client cannot tell apart from waiting: both are <see cref="AwaitingLogin"/> here.
/// </summary>
public enum ClientPhase
{
    /// <summary>Opening the TCP connection and waiting for the server's HELLO.</summary>
    Connecting,
    /// <summary>Greeted; LOGIN was sent and the client waits for WELCOME (or DENIED, or an ERROR).</summary>
    AwaitingLogin,
    /// <summary>Logged in: lines typed are said to the room.</summary>
    InRoom,
    /// <summary>Finished: the client has decided its exit code. Nothing more happens.</summary>
    Closed,
}

/// <summary>How phases are written in traces and messages.</summary>
public static class ClientPhaseText
{
    /// <summary>The phase in lower-case words, as traces and messages write it.</summary>
    public static string Describe(this ClientPhase phase) => phase switch
    {
        ClientPhase.Connecting => "connecting",
        ClientPhase.AwaitingLogin => "awaiting login",
        ClientPhase.InRoom => "in the room",
        ClientPhase.Closed => "closed",
        _ => phase.ToString(),
    };
}
