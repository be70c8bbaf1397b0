using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Outcome = ChatRoom.Core.Room.Outcome;

namespace ChatRoom.Core.Tests.Room;

/// <summary>Invariants of the reducer over random sequences of inputs (the F# specs check the same from F#).</summary>
public class RoomProperties
{
    private static readonly string[] Nicks = ["alice", "Alice", "bob", "北落", "ＢＯＢ"];

    private static readonly Gen<Func<DateTimeOffset, Input>> OneInput =
        from id in Gen.Choose(1, 5).Select(i => new ConnectionId(i))
        from nick in Gen.Elements(Nicks)
        from kind in Gen.Choose(0, 12)
        from verdict in Gen.Elements(AuthVerdict.Accepted, AuthVerdict.Accepted, AuthVerdict.WrongPassword)
        select (Func<DateTimeOffset, Input>)(at => kind switch
        {
            0 or 1 => new Input.Opened(id, "10.0.0." + id.Value % 2, 1000, at),
            2 or 3 => new Input.Received(id, CommandCodec.Decode($"LOGIN {nick} pw"), at),
            4 or 5 => new Input.LoginChecked(id, nick, verdict, at),
            6 or 7 => new Input.Received(id, CommandCodec.Decode($"SAY hello from {id}"), at),
            8 => new Input.Received(id, CommandCodec.Decode($"WHISPER {nick} psst"), at),
            9 => new Input.Received(id, CommandCodec.Decode("QUIT"), at),
            10 => new Input.Closed(id, "reset", at),
            11 => new Input.Tick(at),
            _ => new Input.Received(id, CommandCodec.Decode("WHO"), at),
        });

    private static readonly Gen<Input[]> Inputs = Scenario.Schedule(OneInput, maxGapMs: 20_000);

    private static readonly RoomState Start = RoomState.Empty(RoomSettings.Default with { RateLimitEnabled = false });

    private static IEnumerable<Outcome> Steps(Input[] inputs)
    {
        var state = Start;
        foreach (var input in inputs)
        {
            var outcome = ChatRoom.Core.Log.InstantLog.Step(state, input);
            state = outcome.State;
            yield return outcome;
        }
    }

    [Property(MaxTest = 500)]
    public Property No_nickname_is_ever_online_twice() =>
        Prop.ForAll(Inputs.ToArbitrary(), inputs => Steps(inputs).All(o =>
        {
            var online = o.State.Sessions.Values.Where(s => s.Phase == Phase.InRoom).Select(s => Syntax.FoldNick(s.Nick)).ToList();
            return online.Count == online.Distinct().Count() && online.Count == o.State.Nicks.Count && online.Count == o.State.Members.Count;
        }));

    [Property(MaxTest = 500)]
    public Property Accepted_says_reach_every_member_once_with_strictly_increasing_seq() =>
        Prop.ForAll(Inputs.ToArbitrary(), inputs =>
        {
            var lastSeq = 0L;
            var state = Start;
            foreach (var (input, outcome) in inputs.Zip(Steps(inputs)))
            {
                var members = state.Members;
                var sequenced = outcome.Effects.Choose(e => e switch
                {
                    Effect.Broadcast { Event: ServerEvent.Message m } => Some(m.Seq),
                    Effect.Broadcast { Event: ServerEvent.Joined j } => Some(j.Seq),
                    Effect.Broadcast { Event: ServerEvent.Left l } => Some(l.Seq),
                    _ => Option<long>.None,
                }).ToList();
                foreach (var seq in sequenced)
                {
                    if (seq <= lastSeq) return false.Label($"seq {seq} after {lastSeq}");
                    lastSeq = seq;
                }
                if (input is Input.Received { Line.IsSucc: true } r && r.Line.ThrowIfFail() is Command.Say && members.Contains(r.Id))
                {
                    var messages = outcome.Effects.OfType<Effect.Broadcast>().Where(b => b.Event is ServerEvent.Message).ToList();
                    if (messages.Count != 1 || messages[0].To != members) return false.Label($"SAY gave {messages.Count} broadcasts");
                }
                state = outcome.State;
            }
            return true.ToProperty();
        });

    [Property(MaxTest = 500)]
    public Property No_room_traffic_reaches_a_connection_before_its_welcome() =>
        Prop.ForAll(Inputs.ToArbitrary(), inputs =>
        {
            var welcomed = new System.Collections.Generic.HashSet<ConnectionId>();
            foreach (var outcome in Steps(inputs))
            foreach (var effect in outcome.Effects)
            {
                switch (effect)
                {
                    case Effect.Send { Event: ServerEvent.Welcome } s: welcomed.Add(s.To); break;
                    case Effect.Send { Event: ServerEvent.Joined or ServerEvent.Left or ServerEvent.Message or ServerEvent.Whisper or ServerEvent.Users } s
                        when !welcomed.Contains(s.To): return false;
                    case Effect.Broadcast { Event: not ServerEvent.Bye } b when b.To.Exists(id => !welcomed.Contains(id)): return false;
                    case Effect.Close c: welcomed.Remove(c.Id); break;
                }
            }
            return true;
        });

    [Property(MaxTest = 300)]
    public Property Closing_every_connection_returns_the_room_to_empty() =>
        Prop.ForAll(Inputs.ToArbitrary(), inputs =>
        {
            var end = Scenario.T0.AddDays(1);
            var closes = Enumerable.Range(1, 5).Select(i => (Input)new Input.Closed(new(i), "bye", end));
            var state = ChatRoom.Core.Log.InstantLog.Run(Start, inputs.Concat(closes)).State;
            return state.Sessions.IsEmpty && state.Members.IsEmpty && state.Nicks.IsEmpty && state.Addresses.Values.All(a => a.Connections == 0);
        });

    [Property(MaxTest = 300)]
    public Property Step_never_throws_on_any_input_sequence() =>
        Prop.ForAll(Inputs.ToArbitrary(), inputs => Steps(inputs).Count() == inputs.Length);
}
