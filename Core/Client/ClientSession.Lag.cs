using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Client;

/// <summary>
/// The lag to the server, as the full-screen status line shows it: a client that measures it (<see cref="ClientState.MeasuresLag"/>)
/// sends <c>PING lag-N</c> on entering the room and every <see cref="ClientSession.LagInterval"/> after, and times the
/// server's <c>PONG lag-N</c>. The server answers a PING from its room thread, so the figure includes any queue in
/// front of the room, not only the network.
/// </summary>
/// <param name="Value">The round trip of the last probe answered, or how long the one still unanswered has waited.</param>
/// <param name="AtLeast">True while a probe is still unanswered after an interval: the lag is at least <paramref name="Value"/>.</param>
public sealed record Lag(TimeSpan Value, bool AtLeast);

/// <summary>A PING sent to measure the lag: its token and when it went out.</summary>
public sealed record LagProbe(string Token, DateTimeOffset Sent);

public static partial class ClientSession
{
    /// <summary>How often a client that measures lag sends its PING: twice within the server's 60 s keepalive.</summary>
    public static readonly TimeSpan LagInterval = TimeSpan.FromSeconds(20);

    /// <summary>The token prefix of a lag probe; the server echoes any token in its PONG.</summary>
    public const string LagTokenPrefix = "lag-";

    /// <summary>The first probe goes out on entering the room, so the status line has a figure at once.</summary>
    private static ClientState StartLag(ClientState state, DateTimeOffset at, List<ClientEffect> fx) =>
        state.MeasuresLag ? Probe(state with { Lag = None }, at, fx) : state;

    /// <summary>
    /// The probe's deadline came: a new PING if the last one was answered; otherwise none (one at a time), and the lag
    /// shown is how long that one has waited so far. Nothing once the client has said QUIT.
    /// </summary>
    private static ClientState LagDue(ClientState state, DateTimeOffset now, List<ClientEffect> fx) =>
        state.Phase != ClientPhase.InRoom || state.Quitting ? state with { ProbeDue = None, Probing = None }
        : state.Probing.Case is LagProbe waiting ? state with { Lag = new Lag(now - waiting.Sent, AtLeast: true), ProbeDue = now + LagInterval }
        : Probe(state, now, fx);

    private static ClientState Probe(ClientState state, DateTimeOffset at, List<ClientEffect> fx)
    {
        var number = state.Probes + 1;
        var token = $"{LagTokenPrefix}{number}";
        fx.Add(new ClientEffect.Send(new Command.Ping(token)));
        return state with { Probes = number, Probing = new LagProbe(token, at), ProbeDue = at + LagInterval };
    }

    /// <summary>The answer to the probe in flight: its round trip is the lag. Any other PONG is not ours and changes nothing.</summary>
    private static bool AnswersProbe(ClientState state, ServerEvent.Pong pong) =>
        state.Probing.Exists(p => p.Token == pong.Token);

    private static ClientState ProbeAnswered(ClientState state, DateTimeOffset at) =>
        state.Probing.Case is LagProbe probe
            ? state with { Probing = None, Lag = new Lag(at - probe.Sent > TimeSpan.Zero ? at - probe.Sent : TimeSpan.Zero, AtLeast: false) }
            : state;
}
