using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Tests.Client.Session;

/// <summary>
/// A given/when/then helper for the client's reducer: each call feeds one input; <see cref="Effects"/> holds the
/// effects of the last call, read back as wire lines (<see cref="Sent"/>), transcript texts (<see cref="Shown"/>)
/// and the exit, if any (<see cref="Exited"/>).
/// </summary>
public sealed class ClientScenario
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 14, 3, 0, TimeSpan.Zero);

    public ClientState State { get; private set; }
    public Seq<ClientEffect> Effects { get; private set; }
    public DateTimeOffset Now { get; private set; } = T0;

    private ClientScenario(ClientState state) => State = state;

    public static ClientScenario Given(string nick = "alice", string password = "secret words", bool scripted = true) =>
        new(ClientState.Initial("127.0.0.1:7777", nick, password, scripted));

    /// <summary>A client that has been greeted, logged in and shown the room.</summary>
    public static ClientScenario InRoom(string nick = "alice", bool scripted = true) =>
        Given(nick, scripted: scripted).Server("HELLO chatroom 1").Server($"WELCOME {nick}").Server($"USERS {nick}");

    /// <summary>A client started with a stored token (and no password), or asked to remember the login.</summary>
    public ClientScenario With(Func<ClientState, ClientState> change)
    {
        State = change(State);
        return this;
    }

    public ClientScenario Apply(ClientInput input)
    {
        var outcome = ClientSession.Step(State, input);
        State = outcome.State;
        Effects = outcome.Effects;
        return this;
    }

    public ClientScenario After(TimeSpan elapsed)
    {
        Now += elapsed;
        return this;
    }

    /// <summary>A server line, decoded as the shell does: by the protocol the client speaks when it comes.</summary>
    public ClientScenario Server(string line) => Apply(new ClientInput.ServerLine(EventCodec.Decode(line, State.Protocol), Now));

    /// <summary>Several server lines, one step each; <see cref="Effects"/> then holds the effects of all of them.</summary>
    public ClientScenario Server(params string[] lines)
    {
        var all = new List<ClientEffect>();
        foreach (var line in lines)
        {
            Server(line);
            all.AddRange(Effects);
        }
        Effects = all.ToSeq().Strict();
        return this;
    }

    /// <summary>A client greeted by a protocol 2 server (with its usual limits), logged in and shown the room, before any history.</summary>
    public static ClientScenario InRoom2(string nick = "alice", bool scripted = true) =>
        Given(nick, scripted: scripted)
            .Server("HELLO chatroom 2 line=4096 text=3800 burst=20 rate=10 history=50 page=100")
            .Server("PROTOCOL 2").Server($"WELCOME {nick}").Server($"USERS {nick}").Server("END USERS 1");

    /// <summary>What the last step showed, in order: transcript texts, history ones marked <c>(h) </c>, and the separators.</summary>
    public IReadOnlyList<string> Transcript => Effects
        .Choose(e => e switch
        {
            ClientEffect.Show { History: true } s => EventText.Of(s.Event, s.Me).Map(t => "(h) " + t),
            ClientEffect.Show s => EventText.Of(s.Event, s.Me),
            ClientEffect.Separator m => Some(m.Text),
            _ => None,
        })
        .ToList();
    public ClientScenario Typed(string line) => Apply(new ClientInput.UserLine(line, Now));
    public ClientScenario Ended() => Apply(new ClientInput.InputEnded(Now));
    public ClientScenario Interrupted() => Apply(new ClientInput.Interrupted(Now));
    public ClientScenario Lost(string reason = "connection reset") => Apply(new ClientInput.Disconnected(reason, Now));
    public ClientScenario Tick() => Apply(new ClientInput.Tick(Now));

    /// <summary>Lets time run to the state's earliest deadline and ticks there.</summary>
    public ClientScenario AtDeadline() => After(Deadline).Tick();

    /// <summary>How long from now until the state's earliest deadline; fails the test when there is none.</summary>
    public TimeSpan Deadline =>
        State.NextDeadline.Map(d => d - Now).IfNone(() => throw new Xunit.Sdk.XunitException("the client waits for no deadline"));

    /// <summary>The lines the last step sent, as they go on the wire.</summary>
    public IReadOnlyList<string> Sent => Effects
        .Choose(e => e is ClientEffect.Send s ? Some(CommandCodec.Encode(s.Command).IfFail(err => $"<unencodable {err}>")) : None)
        .ToList();

    /// <summary>What the last step showed, as transcript texts (without times).</summary>
    public IReadOnlyList<string> Shown => Effects
        .Choose(e => e is ClientEffect.Show s ? EventText.Of(s.Event, s.Me) : None)
        .ToList();

    /// <summary>The exit the last step decided, if any.</summary>
    public Option<ClientEffect.Exit> Exited => Effects.Choose(e => e is ClientEffect.Exit x ? Some(x) : None).HeadOrNone();

    public IReadOnlyList<string> Notices => Effects.Choose(e => e is ClientEffect.Notice n ? Some(n.Text) : None).ToList();
}
