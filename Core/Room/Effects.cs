using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

/// <summary>
/// Collects the effects of one step in order. It is local to a single call of <see cref="Room.Step"/> and never
/// escapes it, so the reducer stays a pure function.
/// </summary>
internal sealed class Effects(DateTimeOffset at)
{
    // Made on the first effect: most steps under a flood (a line from a connection already gone, a PONG) have none.
    private List<Effect>? _items;

    /// <summary>When the input being applied happened: the time of any room event it causes.</summary>
    public DateTimeOffset At { get; } = at;

    public void Add(Effect effect) => (_items ??= new List<Effect>(4)).Add(effect);

    public void Send(ConnectionId to, ServerEvent e) => Add(new Effect.Send(to, e));

    public void Log(Severity level, string template, params string[] args) =>
        Add(new Effect.Log(level, template, toSeq(args)));

    public Seq<Effect> ToSeq() => _items is not { Count: > 0 } items ? LanguageExt.Seq<Effect>.Empty : items.ToSeq().Strict();
}
