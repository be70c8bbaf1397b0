using FsCheck;
using FsCheck.Fluent;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;

namespace ChatRoom.Core.Tests.Room;

/// <summary>
/// A given/when/then helper for the reducer: each call feeds one input; <see cref="Effects"/> holds the effects
/// of the last call, and <see cref="To"/> reads back what one connection was sent by them.
/// </summary>
public sealed class Scenario
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The greeting with the default settings: the highest protocol and the limits a client paces itself by.</summary>
    public const string Hello = "HELLO chatroom 3 line=4096 text=3800 burst=20 rate=10 history=50 page=100";

    /// <summary>
    /// A random schedule: inputs made by <paramref name="input"/>, each at most <paramref name="maxGapMs"/> after
    /// the one before, from <see cref="T0"/> on (for the reducer's properties).
    /// </summary>
    public static Gen<Input[]> Schedule(Gen<Func<DateTimeOffset, Input>> input, int maxGapMs) =>
        from makers in Gen.ListOf(input)
        from gaps in Gen.ArrayOf(Gen.Choose(0, maxGapMs), makers.Count)
        select makers.Select((make, i) => make(T0.AddMilliseconds(gaps.Take(i + 1).Sum()))).ToArray();

    public RoomState State { get; private set; }
    public Seq<Effect> Effects { get; private set; }
    public DateTimeOffset Now { get; private set; } = T0;

    private Scenario(RoomState state) => State = state;

    public static Scenario Given(RoomSettings? settings = null) => new(RoomState.Empty(settings ?? RoomSettings.Default));

    /// <summary>A host of a cluster named <paramref name="host"/>, whose appends wait for <see cref="ClusterLog"/> to commit them.</summary>
    public static Scenario GivenHost(string host, RoomSettings? settings = null) =>
        new(RoomState.Empty(settings ?? RoomSettings.Default) with { Host = host, SelfLast = T0, SelfSince = T0 }) { Holding = true };

    /// <summary>
    /// The seq the scenario's log gave last. Unless <see cref="Holding"/>, every append the room asks for is committed
    /// at once, as the in-memory log does: <see cref="Effects"/> then holds the step's effects followed by those of
    /// the commit.
    /// </summary>
    public long LogSeq { get; private set; }

    /// <summary>When true, appends wait in <see cref="Held"/> until <see cref="Commit"/>.</summary>
    public bool Holding { get; set; }

    /// <summary>The appends asked for and not committed yet (while <see cref="Holding"/>).</summary>
    public List<ChatRoom.Core.Log.Draft> Held { get; } = [];

    public Scenario Apply(Input input)
    {
        var outcome = ChatRoom.Core.Room.Room.Step(State, input);
        State = outcome.State;
        var effects = outcome.Effects;
        var drafts = effects.Choose(e => e is Effect.Append a ? Some(a.Draft) : None).ToList();
        if (Holding) Held.AddRange(drafts);
        else if (drafts.Count > 0)
        {
            var committed = ChatRoom.Core.Room.Room.Step(State, Committed(drafts));
            State = committed.State;
            effects = effects.Concat(committed.Effects).Strict();
        }
        Effects = effects;
        return this;
    }

    /// <summary>Commits what was held, as one batch.</summary>
    public Scenario Commit()
    {
        var drafts = Held.ToList();
        Held.Clear();
        var holding = Holding;
        Holding = true;
        Apply(Committed(drafts));
        Holding = holding;
        return this;
    }

    /// <summary>Applies entries another log committed (in a cluster: every host's), as one batch.</summary>
    public Scenario Receive(IEnumerable<ChatRoom.Core.Log.LogEntry> entries)
    {
        var holding = Holding;
        Holding = true;
        Apply(new Input.Committed(entries.ToSeq().Strict(), Now));
        Holding = holding;
        return this;
    }

    /// <summary>The drafts committed with the next seqs (the log goes on from the room's seq, say after a recovery).</summary>
    private Input.Committed Committed(IEnumerable<ChatRoom.Core.Log.Draft> drafts)
    {
        LogSeq = Math.Max(LogSeq, State.Seq);
        return new(drafts.Select(d => new ChatRoom.Core.Log.LogEntry(++LogSeq, d.At, d.Event, d.Origin)).ToSeq().Strict(), Now);
    }

    public Scenario After(TimeSpan elapsed)
    {
        Now += elapsed;
        return this;
    }

    public Scenario Open(long id, string address = "10.0.0.1") => Apply(new Input.Opened(new(id), address, 50000 + (int)id, Now));
    public Scenario OpenTls(long id, string address = "10.0.0.1") => Apply(new Input.Opened(new(id), address, 50000 + (int)id, Now, Encrypted: true));
    public Scenario Line(long id, string line) => Apply(new Input.Received(new(id), CommandCodec.Decode(line), Now));
    public Scenario Verdict(long id, string nick, AuthVerdict verdict, string stamp = "") => Apply(new Input.LoginChecked(new(id), nick, verdict, Now, stamp));
    public Scenario Registration(long id, string nick, RegistrationResult result, string stamp = "") => Apply(new Input.Registered(new(id), nick, result, Now, stamp));
    public Scenario TokenFound(long id, string nick, DateTimeOffset expires, string stamp = "") => Apply(new Input.TokenChecked(new(id), nick, Some(expires), Now, stamp));
    public Scenario TokenNotFound(long id, string nick) => Apply(new Input.TokenChecked(new(id), nick, None, Now));
    public Scenario Issued(long id, string nick, Option<Secret> token, DateTimeOffset expires) => Apply(new Input.TokenIssued(new(id), nick, token, expires, Now));
    public Scenario Overflow(long id) => Apply(new Input.SendQueueFull(new(id), Now));
    public Scenario Close(long id, string reason = "connection reset") => Apply(new Input.Closed(new(id), reason, Now));
    public Scenario Tick() => Apply(new Input.Tick(Now));
    public Scenario Seen(string host) => Apply(new Input.HostSeen(host, Now));

    /// <summary>This host hears its own heartbeat every 2 s for <paramref name="seconds"/>, then ticks: it is alive and can judge.</summary>
    public Scenario Live(double seconds)
    {
        for (var t = 0.0; t < seconds; t += 2) After(TimeSpan.FromSeconds(Math.Min(2, seconds - t))).Seen(State.Host);
        return Tick();
    }
    public Scenario LogFailed() => Apply(new Input.LogFailed("gone", Now));
    public Scenario AccountsRemoved(params string[] nicks) => Apply(new Input.AccountsRemoved(toSeq(nicks), Now));

    /// <summary>Opens a connection and logs it in with an accepted password (whose stamp is <paramref name="stamp"/>).</summary>
    public Scenario LoggedIn(long id, string nick, string address = "10.0.0.1", string stamp = "") =>
        Open(id, address).Line(id, $"LOGIN {nick} pw").Verdict(id, nick, AuthVerdict.Accepted, stamp);

    /// <summary>Everything the last step sent to <paramref name="id"/>, directly or by broadcast, in order.</summary>
    public IReadOnlyList<ServerEvent> To(long id) =>
        Effects.Choose(e => e switch
        {
            Effect.Send s when s.To.Value == id => Some(s.Event),
            Effect.Broadcast b when b.To.Contains(new ConnectionId(id)) => Some(b.Event),
            _ => Option<ServerEvent>.None,
        }).ToList();

    /// <summary>The last step's events for <paramref name="id"/> as wire lines, easy to read in a failing assertion.</summary>
    public IReadOnlyList<string> Lines(long id) => Lines(id, ProtocolVersion.First);

    /// <summary>The same, as protocol <paramref name="version"/> writes them.</summary>
    public IReadOnlyList<string> Lines(long id, int version) =>
        To(id).Select(e => EventCodec.Encode(e, version).IfFail(err => $"<unencodable {err}>")).ToList();

    /// <summary>The appends the last step asked for, as the events they will be.</summary>
    public IReadOnlyList<ChatRoom.Core.Log.RoomEvent> Appended => Effects.Choose(e => e is Effect.Append a ? Some(a.Draft.Event) : None).ToList();

    /// <summary>The password checks the last step asked the shell for, by connection id.</summary>
    public IReadOnlyList<long> Checked => Effects.Choose(e => e is Effect.CheckPassword c ? Some(c.Id.Value) : None).ToList();

    public bool Closed(long id) => Effects.Exists(e => e is Effect.Close c && c.Id.Value == id);
}
