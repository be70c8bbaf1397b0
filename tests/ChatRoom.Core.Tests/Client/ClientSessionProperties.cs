using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ChatRoom.Core.Tests.Client;

/// <summary>
/// The client's reducer over any sequence of inputs (server lines good and bad, typed lines, ticks, the connection's
/// fate), whether scripted or not, reconnecting or not: it decides at most one exit and changes nothing once closed,
/// a tick before its next deadline changes nothing, the same inputs give equal states (compared as values), and the
/// password leaves only in LOGIN.
/// </summary>
public class ClientSessionProperties
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);
    private const string Password = "hunter2 pw";

    private static readonly string[] ServerLines =
    [
        "HELLO chatroom 1", "HELLO other 2", "WELCOME alice", "USERS alice bob", "DENIED invalid nickname or password",
        "JOINED 2 bob", "LEFT 3 bob quit", "MESSAGE 4 bob hi", "MESSAGE 5 北落 你好", "WHISPER bob alice psst",
        "PING keepalive", "PONG", "ERROR 404 no such user: zed", "ERROR 409 nickname already online: alice",
        "ERROR 503 busy, retry in 1 s", "BYE quit", "BYE server shutting down", "NONSENSE", "",
        "HELLO chatroom 2 line=4096 text=3800 burst=20 rate=10 history=50 page=100", "HELLO chatroom 2 text=10", "PROTOCOL 2",
        "END USERS 2", "END HISTORY 1", "END HISTORY 0", "HISTORY MESSAGE 3 2026-11-26T14:00:00.000Z bob earlier",
        "HISTORY JOINED 2 2026-11-26T14:00:00.000Z bob",
    ];

    private static readonly string[] UserLines =
    [
        "hello", "/who", "/msg bob hi", "/msg", "/quit", "/help", "/nick bob", "/wait bob", "/wait bob 0.1",
        "/wait (", "/frob", "//slash", "", new string('x', 4000), "你好", "/history", "/history 3", "/wait --history bob", "/logout",
        "/wait nobody 2", "/wait bob: hi 3", "/wait joined",
    ];

    private static readonly Gen<Func<DateTimeOffset, ClientInput>> Input = Gen.Frequency(
        (4, Gen.Elements(ServerLines).Select(line => (Func<DateTimeOffset, ClientInput>)(at => new ClientInput.ServerLine(EventCodec.Decode(line), at)))),
        (4, Gen.Elements(UserLines).Select(line => (Func<DateTimeOffset, ClientInput>)(at => new ClientInput.UserLine(line, at)))),
        (2, Gen.Constant((Func<DateTimeOffset, ClientInput>)(at => new ClientInput.Tick(at)))),
        (1, Gen.Frequency(
            (1, Gen.Constant((Func<DateTimeOffset, ClientInput>)(at => new ClientInput.Interrupted(at)))),
            (3, Gen.Constant((Func<DateTimeOffset, ClientInput>)(at => new ClientInput.InputEnded(at)))))),
        (1, Gen.Elements<Func<DateTimeOffset, ClientInput>>(
            at => new ClientInput.Disconnected("connection reset", at),
            at => new ClientInput.ConnectFailed("Connection refused", at))));

    /// <summary>A client and what happens to it: scripted or typed, reconnecting or not, and inputs at times that only go forward.</summary>
    public sealed record Run(bool Scripted, bool Reconnects, ulong Seed, ClientInput[] Inputs)
    {
        public ClientState Initial => ClientState.Initial("127.0.0.1:7777", "alice", Password, Scripted) with { Reconnects = Reconnects, Seed = Seed };

        /// <summary>Each step: the state before, the input, and the outcome.</summary>
        public IEnumerable<(ClientState Before, ClientInput Input, ClientOutcome Outcome)> Steps()
        {
            var state = Initial;
            foreach (var input in Inputs)
            {
                var outcome = ClientSession.Step(state, input);
                yield return (state, input, outcome);
                state = outcome.State;
            }
        }

        public override string ToString() =>
            $"Run {{ Scripted = {Scripted}, Reconnects = {Reconnects}, Seed = {Seed}, Inputs = [{string.Join(", ", Inputs.Select(Describe))}] }}";

        private static string Describe(ClientInput input) => input switch
        {
            ClientInput.ServerLine s => $"< {s.Event.Match(e => EventCodec.Encode(e).IfFail("?"), e => $"unreadable ({e.Message})")} @{(s.At - T0).TotalSeconds:0.###}",
            ClientInput.UserLine u => $"typed {u.Text[..Math.Min(20, u.Text.Length)]} @{(u.At - T0).TotalSeconds:0.###}",
            _ => $"{input.GetType().Name} @{(input.At - T0).TotalSeconds:0.###}",
        };
    }

    /// <summary>Most runs start logged in (protocol 1 or 2), so that what follows happens in the room.</summary>
    private static readonly Gen<string[]> Greeting = Gen.Frequency(
        (1, Gen.Constant<string[]>([])),
        (2, Gen.Constant<string[]>(["HELLO chatroom 1", "WELCOME alice", "USERS alice bob"])),
        (3, Gen.Constant<string[]>(["HELLO chatroom 2 line=4096 text=3800 burst=20 rate=10 history=50 page=100", "PROTOCOL 2", "WELCOME alice", "USERS alice bob", "END USERS 2"])));

    /// <summary>Most gaps are short; some pass the deadlines (a /wait's 10 s, a backoff, the 5 s bound for BYE).</summary>
    private static readonly Gen<Run> Runs =
        from scripted in ArbMap.Default.GeneratorFor<bool>()
        from reconnects in ArbMap.Default.GeneratorFor<bool>()
        from seed in ArbMap.Default.GeneratorFor<ulong>()
        from greeting in Greeting
        from body in Input.ListOf()
        let makers = greeting.Select(line => (Func<DateTimeOffset, ClientInput>)(at => new ClientInput.ServerLine(EventCodec.Decode(line), at))).Concat(body).ToList()
        from gaps in Gen.Frequency((6, Gen.Choose(0, 1500)), (1, Gen.Choose(1500, 12_000))).ArrayOf(makers.Count)
        select new Run(scripted, reconnects, seed, makers.Select((make, i) => make(T0.AddMilliseconds(gaps.Take(i + 1).Sum()))).ToArray());

    [Property(MaxTest = 200)]
    public Property Any_input_sequence_gives_at_most_one_exit_and_a_closed_client_changes_no_more() =>
        Prop.ForAll(Runs.ToArbitrary(), run =>
        {
            var exits = 0;
            foreach (var (before, _, outcome) in run.Steps())
            {
                if (before.Phase == ClientPhase.Closed && (!outcome.Effects.IsEmpty || outcome.State != before))
                    return false.Label("a closed client did something");
                exits += outcome.Effects.Count(e => e is ClientEffect.Exit);
                if ((outcome.State.Phase == ClientPhase.Closed) != (exits == 1))
                    return false.Label($"closed is {outcome.State.Phase == ClientPhase.Closed} after {exits} exits");
            }
            return true.Label("at most one exit").Classify(exits == 1, "exited").Classify(run.Reconnects, "reconnects")
                .Classify(run.Steps().Any(s => s.Outcome.State.Rejoining.IsSome), "reconnected");
        });

    [Property(MaxTest = 200)]
    public Property A_tick_before_the_next_deadline_changes_nothing() =>
        Prop.ForAll(Runs.ToArbitrary(), run =>
        {
            var early = 0;
            foreach (var (before, input, _) in run.Steps())
            {
                // Just before the earliest deadline, or at the input's time when there is none.
                var at = before.NextDeadline.Match(d => d.AddTicks(-1), () => input.At);
                var ticked = ClientSession.Step(before, new ClientInput.Tick(at));
                if (!ticked.Effects.IsEmpty || ticked.State != before) return false.Label($"a tick at {at:O} before {before.NextDeadline} acted");
                early += before.NextDeadline.IsSome ? 1 : 0;
            }
            return true.Label("early ticks do nothing").Classify(early > 0, "some deadline was pending");
        });

    [Property(MaxTest = 200)]
    public Property The_same_inputs_give_equal_states_and_effects() =>
        Prop.ForAll(Runs.ToArbitrary(), run =>
        {
            // Each run parses its own typed lines, so a /wait's pattern is a new Regex: the states must still be equal as values.
            var again = run.Steps().ToList();
            var waited = 0;
            foreach (var ((_, _, first), (_, _, second)) in run.Steps().Zip(again))
            {
                if (first.State != second.State) return false.Label($"states differ: {first.State} and {second.State}");
                if (!first.Effects.SequenceEqual(second.Effects)) return false.Label("effects differ");
                waited += first.State.Wait.IsSome ? 1 : 0;
            }
            return true.Label("equal states and effects at every step").Classify(waited > 0, "a /wait was in force");
        });

    [Property(MaxTest = 200)]
    public Property The_password_leaves_only_in_LOGIN_and_never_shows_in_a_state() =>
        Prop.ForAll(Runs.ToArbitrary(), run =>
        {
            var logins = 0;
            foreach (var (_, _, outcome) in run.Steps())
            {
                logins += outcome.Effects.Count(e => e is ClientEffect.Send { Command: Command.Login });
                if (outcome.Effects.Any(e => e is not ClientEffect.Send { Command: Command.Login } && e.ToString().Contains("hunter2")))
                    return false.Label("the password is in an effect other than LOGIN");
                if (outcome.State.ToString().Contains("hunter2")) return false.Label("the password shows in the state's text");
            }
            // Only a busy server's retry (ERROR 503) or a reconnect sends LOGIN again.
            var again = run.Reconnects || run.Inputs.Any(i => i is ClientInput.ServerLine { Event.IsSucc: true } s && s.Event.Case is ServerEvent.Error { Code: ErrorCodes.Busy });
            return (again || logins <= 1).Label($"{logins} LOGINs").Classify(logins > 1, "logged in again");
        });
}
