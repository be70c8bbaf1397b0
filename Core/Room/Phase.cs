namespace ChatRoom.Core.Room;

/// <summary>The states of one connection's protocol state machine (docs/PROTOCOL.md draws them).</summary>
public enum Phase
{
    /// <summary>Connected and greeted with HELLO; only LOGIN, PING, PONG and QUIT are accepted.</summary>
    AwaitingLogin,
    /// <summary>LOGIN was accepted for checking; the password is being verified off the room's thread.</summary>
    CheckingPassword,
    /// <summary>Logged in: a member of the room.</summary>
    InRoom,
    /// <summary>Gone. Nothing more is accepted or sent.</summary>
    Closed,
}
