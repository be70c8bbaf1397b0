using ChatRoom.Core.Room;

namespace ChatRoom.Core.Log;

/// <summary>
/// The room with a log that commits every append the moment it is asked for, numbering from the room's own seq:
/// the room as it behaves with the in-memory log, as a pure function. For tests, specs and teaching, where the
/// round trip through a real log would only add noise.
/// </summary>
public static class InstantLog
{
    /// <summary>
    /// <see cref="Room.Room.Step"/>, then the commit of every append it asked for, as one batch: the effects of both,
    /// in order (the <see cref="Effect.Append"/> effects included).
    /// </summary>
    public static Outcome Step(RoomState state, Input input)
    {
        var outcome = Room.Room.Step(state, input);
        var entries = new List<LogEntry>();
        var seq = outcome.State.Seq + outcome.State.Uncommitted - CountAppends(outcome.Effects);
        foreach (var effect in outcome.Effects)
            if (effect is Effect.Append { Draft: var d }) entries.Add(new LogEntry(++seq, d.At, d.Event, d.Origin));
        if (entries.Count == 0) return outcome;
        var committed = Room.Room.Step(outcome.State, new Input.Committed(entries.ToSeq().Strict(), input.At));
        var effects = new List<Effect>(outcome.Effects);
        effects.AddRange(committed.Effects);
        return new Outcome(committed.State, effects.ToSeq().Strict());
    }

    /// <summary>Applies inputs in order with <see cref="Step"/>, keeping every effect.</summary>
    public static Outcome Run(RoomState state, IEnumerable<Input> inputs) => Room.Room.Fold(state, inputs, Step);

    private static int CountAppends(Seq<Effect> effects)
    {
        var n = 0;
        foreach (var effect in effects)
            if (effect is Effect.Append) n++;
        return n;
    }
}
