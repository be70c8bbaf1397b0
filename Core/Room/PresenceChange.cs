namespace ChatRoom.Core.Room;

/// <summary>A gathered presence change (<see cref="RoomState.PresencePending"/>): entered or left, at which seq.</summary>
public sealed record PresenceChange(bool Entered, long Seq);
