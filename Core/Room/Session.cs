using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

/// <summary>One connection as the room sees it.</summary>
/// <param name="Id">The connection.</param>
/// <param name="Address">The peer's IP address (limits and login throttling count per address).</param>
/// <param name="Port">The peer's port, for the log.</param>
/// <param name="Phase">Where it is in the protocol's state machine.</param>
/// <param name="Nick">The nickname once LOGIN was accepted for checking; empty before.</param>
/// <param name="OpenedAt">When it connected (for the login timeout).</param>
/// <param name="LastHeard">When its last line arrived (for the keepalive).</param>
/// <param name="PingSentAt">When the server's unanswered PING went out, if one is outstanding.</param>
/// <param name="Bucket">Its SAY/WHISPER rate-limit allowance.</param>
public sealed record Session(
    ConnectionId Id,
    string Address,
    int Port,
    Phase Phase,
    string Nick,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastHeard,
    Option<DateTimeOffset> PingSentAt,
    TokenBucket Bucket)
{
    /// <summary>The resume token this connection logged in with or was last issued (what FORGET revokes).</summary>
    public Option<Secret> Token { get; init; }

    /// <summary>
    /// The <see cref="Auth.PasswordHash.Stamp"/> of the password this session logged in under (by password,
    /// registration or token), set on admission: the tokens it asks for are bound to it. Empty before.
    /// </summary>
    public string Stamp { get; init; } = "";

    /// <summary>The protocol this connection speaks (1 until it sends <c>PROTOCOL 2</c>).</summary>
    public int Version { get; init; } = Protocol.ProtocolVersion.First;

    /// <summary>
    /// True from the moment its login is accepted until the log commits its JOINED: its nickname is taken, and it
    /// enters the room (WELCOME) when that JOINED is committed. Its phase meanwhile stays <see cref="Phase.CheckingPassword"/>.
    /// </summary>
    public bool Joining { get; init; }

    /// <summary>
    /// True from its QUIT until the log commits its LEFT: it is still a member meanwhile, so what it said before
    /// QUIT reaches it too, and then it gets <c>BYE quit</c>. Its nickname is free already; its lines are ignored.
    /// </summary>
    public bool Leaving { get; init; }

    /// <summary>True while a HISTORY asked on this connection is being read by the shell (a second one waits its turn: ERROR 503).</summary>
    public bool ReadingHistory { get; init; }

    /// <summary>True while a TOKEN asked on this connection is being issued by the shell.</summary>
    public bool IssuingToken { get; init; }

    /// <summary>The nickname for log lines: the nick once known, else the connection id.</summary>
    public string Who => Nick.Length > 0 ? Nick : Id.ToString();
}
