using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

/// <summary>
/// Collects the effects of one step in order. It is local to a single call of <see cref="Room.Step"/> and never
/// escapes it, so the reducer stays a pure function.
/// </summary>
internal sealed class Effects(DateTimeOffset at)
{
    private readonly List<Effect> _items = new(4);

    /// <summary>When the input being applied happened: the time of any room event it causes.</summary>
    public DateTimeOffset At { get; } = at;

    public void Add(Effect effect) => _items.Add(effect);

    public void Send(ConnectionId to, ServerEvent e) => _items.Add(new Effect.Send(to, e));

    public void Log(Severity level, string template, params string[] args) =>
        _items.Add(new Effect.Log(level, template, toSeq(args)));

    public Seq<Effect> ToSeq() => _items.Count == 0 ? LanguageExt.Seq<Effect>.Empty : _items.ToSeq().Strict();
}
