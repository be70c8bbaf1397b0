namespace ChatRoom.Core.Client;

/// <summary>The result of one step of the client's reducer: the new state and the effects to carry out.</summary>
public sealed record ClientOutcome(ClientState State, Seq<ClientEffect> Effects);
