using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Tests.Session;

/// <summary>
/// Properties over random sequences of inputs (seeded, so a failure names its seed): the reducer never throws,
/// decides at most one exit, does nothing once closed, and never lets the password out but in LOGIN.
/// </summary>
public class ClientSessionProperties
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    private static readonly string[] ServerLines =
    [
        "HELLO chatroom 1", "HELLO other 2", "WELCOME alice", "USERS alice bob", "DENIED invalid nickname or password",
        "JOINED 2 bob", "LEFT 3 bob quit", "MESSAGE 4 bob hi", "MESSAGE 5 北落 你好", "WHISPER bob alice psst",
        "PING keepalive", "PONG", "ERROR 404 no such user: zed", "ERROR 409 nickname already online: alice",
        "BYE quit", "BYE server shutting down", "NONSENSE", "",
        "HELLO chatroom 2 line=4096 text=3800 burst=20 rate=10 history=50 page=100", "HELLO chatroom 2 text=10", "PROTOCOL 2",
        "END USERS 2", "END HISTORY 1", "END HISTORY 0", "HISTORY MESSAGE 3 2026-11-26T14:00:00.000Z bob earlier",
        "HISTORY JOINED 2 2026-11-26T14:00:00.000Z bob",
    ];

    private static readonly string[] UserLines =
    [
        "hello", "/who", "/msg bob hi", "/msg", "/quit", "/help", "/nick bob", "/wait bob", "/wait bob 0.1",
        "/wait (", "/frob", "//slash", "", new string('x', 4000), "你好", "/history", "/history 3", "/wait --history bob",
    ];

    private static IEnumerable<ClientInput> RandomInputs(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var at = T0.AddSeconds(i);
            yield return random.Next(8) switch
            {
                0 or 1 or 2 => new ClientInput.ServerLine(EventCodec.Decode(ServerLines[random.Next(ServerLines.Length)]), at),
                3 or 4 => new ClientInput.UserLine(UserLines[random.Next(UserLines.Length)], at),
                5 => new ClientInput.Tick(at),
                6 => random.Next(4) == 0 ? new ClientInput.Interrupted(at) : new ClientInput.InputEnded(at),
                _ => random.Next(2) == 0
                    ? new ClientInput.Disconnected("connection reset", at)
                    : new ClientInput.ConnectFailed("Connection refused", at),
            };
        }
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 200; seed++) seeds.Add(seed);
        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Any_input_sequence_gives_at_most_one_exit_and_nothing_after_it(int seed)
    {
        var state = ClientState.Initial("127.0.0.1:7777", "alice", "pw", scripted: seed % 2 == 0);
        var exits = 0;
        foreach (var input in RandomInputs(seed, 60))
        {
            var wasClosed = state.Phase == ClientPhase.Closed;
            var outcome = ClientSession.Step(state, input);
            if (wasClosed) Assert.Empty(outcome.Effects);
            exits += outcome.Effects.Count(e => e is ClientEffect.Exit);
            Assert.Equal(outcome.State.Phase == ClientPhase.Closed, exits == 1);
            state = outcome.State;
        }
        Assert.InRange(exits, 0, 1);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_password_is_sent_at_most_once_and_only_in_login(int seed)
    {
        var state = ClientState.Initial("127.0.0.1:7777", "alice", "hunter2 pw", scripted: true);
        var outcome = ClientSession.Run(state, RandomInputs(seed, 60));
        var logins = outcome.Effects.Count(e => e is ClientEffect.Send { Command: Command.Login });
        Assert.InRange(logins, 0, 1);
        Assert.DoesNotContain(outcome.Effects, e => e is not ClientEffect.Send { Command: Command.Login }
                                                    && e.ToString().Contains("hunter2"));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_reconnecting_client_decides_at_most_one_exit_and_sends_the_password_only_in_LOGIN(int seed)
    {
        var state = ClientState.Initial("127.0.0.1:7777", "alice", "hunter2 pw", scripted: seed % 2 == 0) with { Reconnects = true, Seed = (ulong)seed };
        var exits = 0;
        foreach (var input in RandomInputs(seed, 80))
        {
            var wasClosed = state.Phase == ClientPhase.Closed;
            var outcome = ClientSession.Step(state, input);
            if (wasClosed) Assert.Empty(outcome.Effects);
            exits += outcome.Effects.Count(e => e is ClientEffect.Exit);
            Assert.DoesNotContain(outcome.Effects, e => e is not ClientEffect.Send { Command: Command.Login } && e.ToString().Contains("hunter2"));
            Assert.DoesNotContain("hunter2", outcome.State.ToString());
            state = outcome.State;
        }
        Assert.InRange(exits, 0, 1);
    }
}
