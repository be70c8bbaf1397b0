namespace ChatRoom.Core.Room;

/// <summary>The result of one step of the reducer: the new state and the effects the shell must carry out.</summary>
public sealed record Outcome(RoomState State, Seq<Effect> Effects);
