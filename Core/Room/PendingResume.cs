using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

/// <summary>A RESUME whose token the shell is looking up. Its text form never shows the token.</summary>
/// <param name="Address">Where the RESUME came from: a refusal counts there even if the connection is gone.</param>
/// <param name="Nick">The nickname as typed.</param>
/// <param name="Token">The token presented; once accepted, the session holds it (FORGET revokes it).</param>
public sealed record PendingResume(string Address, string Nick, Secret Token);
