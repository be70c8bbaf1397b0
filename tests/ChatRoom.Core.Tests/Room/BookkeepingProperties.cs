using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ChatRoom.Core.Tests.Room;

/// <summary>
/// The counters behind the caps (per-address counts, the anonymous pool, pending checks, the roster size) always
/// agree with the sessions they summarise, and the caps are never passed, over random inputs with tight limits.
/// </summary>
public class BookkeepingProperties
{
    private static readonly RoomSettings Tight = RoomSettings.Default with
    {
        MaxConnections = 6, MaxConnectionsPerAddress = 4, MaxAnonymous = 4, MaxAnonymousPerAddress = 3,
        MaxChecksInFlight = 3, MaxChecksPerAddress = 2, OpenRegistration = true, RateBurst = 4, FloodAllowance = 3,
    };

    private static readonly Gen<Func<DateTimeOffset, Input>> OneInput =
        from id in Gen.Choose(1, 6).Select(i => new ConnectionId(i))
        from nick in Gen.Elements("alice", "Alice", "bob", "aIice", "\u0251lice")
        from kind in Gen.Choose(0, 15)
        from verdict in Gen.Elements(AuthVerdict.Accepted, AuthVerdict.Accepted, AuthVerdict.Accepted, AuthVerdict.WrongPassword, AuthVerdict.UnknownUser, AuthVerdict.Skipped)
        from result in Gen.Elements(RegistrationResult.Created, RegistrationResult.Exists, RegistrationResult.Failed, RegistrationResult.LooksLike)
        select (Func<DateTimeOffset, Input>)(at => kind switch
        {
            0 or 1 or 2 => new Input.Opened(id, "10.0.0." + id.Value % 3, 1000, at),
            3 or 4 => new Input.Received(id, CommandCodec.Decode($"LOGIN {nick} pw"), at),
            5 or 14 or 15 => new Input.LoginChecked(id, nick, verdict, at),
            6 => new Input.Registered(id, nick, result, at),
            7 => new Input.Received(id, CommandCodec.Decode("SAY hi"), at),
            8 => new Input.Received(id, CommandCodec.Decode("PONG x"), at),
            9 => new Input.Received(id, CommandCodec.Decode("WHO"), at),
            10 => new Input.Closed(id, "reset", at),
            11 => new Input.SendQueueFull(id, at),
            12 => new Input.Tick(at),
            _ => new Input.Received(id, CommandCodec.Decode("QUIT"), at),
        });

    private static readonly Gen<Input[]> Inputs = Scenario.Schedule(OneInput, maxGapMs: 5_000);

    [Property(MaxTest = 500)]
    public Property The_counters_always_agree_with_the_sessions_and_no_cap_is_passed() =>
        Prop.ForAll(Inputs.ToArbitrary(), inputs =>
        {
            var state = RoomState.Empty(Tight);
            var members = 0;
            foreach (var input in inputs)
            {
                var outcome = ChatRoom.Core.Log.InstantLog.Step(state, input);
                state = outcome.State;
                if (Problem(state, outcome.Effects) is { } problem) return false.Label($"after {input}: {problem}");
                members = Math.Max(members, state.Members.Count);
            }
            return true.Label("ok").Classify(members > 0, "had members").Classify(members > 1, "had two members");
        });

    private static string? Problem(RoomState state, Seq<Effect> effects)
    {
        var sessions = state.Sessions.Values.ToList();
        var anonymous = sessions.Where(s => s.Phase != Phase.InRoom).Select(s => s.Id).Order().ToList();
        if (!anonymous.SequenceEqual(state.Anonymous)) return "the anonymous pool differs from the sessions";
        foreach (var group in sessions.GroupBy(s => s.Address))
        {
            var record = state.Addresses.Find(group.Key).IfNone(AddressRecord.Empty);
            if (record.Connections != group.Count()) return $"{group.Key} counts {record.Connections} connections, has {group.Count()}";
            if (!record.AnonymousIds.SequenceEqual(group.Where(s => s.Phase != Phase.InRoom).Select(s => s.Id).Order()))
                return $"{group.Key} lists the wrong anonymous connections";
            if (record.Connections > Tight.MaxConnectionsPerAddress || record.Anonymous > Tight.MaxAnonymousPerAddress) return $"{group.Key} passed its cap";
        }
        var holders = state.Addresses.Filter(a => a.Anonymous > 0).Map((address, a) => new Holder(a.Anonymous, address)).Values.Order().ToList();
        if (!holders.SequenceEqual(state.Holders)) return "the holders differ from the address counts";
        if (sessions.Count > Tight.MaxConnections || anonymous.Count > Tight.MaxAnonymous) return "a total cap was passed";
        if (state.Checks.Count > Tight.MaxChecksInFlight) return "too many checks in flight";
        var keys = state.Members.SelectMany(id =>
        {
            var (first, second) = ChatRoom.Core.Names.Lookalike.Keys(state.Sessions[id].Nick);
            return new[] { (Key: first, Id: id), (Key: second, Id: id) }.Distinct();
        }).ToList();
        if (keys.GroupBy(k => k.Key).Any(g => g.Count() > 1)) return "two members online look alike";
        if (!keys.OrderBy(k => k.Key, StringComparer.Ordinal).SequenceEqual(
                state.Shapes.Map((key, id) => (Key: key, Id: id)).Values.OrderBy(k => k.Key, StringComparer.Ordinal)))
            return "the look-alike keys differ from the members'";
        if (state.Checks.Values.GroupBy(c => c.Address).Any(g => g.Count() > Tight.MaxChecksPerAddress)) return "too many checks from one address";
        foreach (var e in effects)
            if (e is Effect.CheckPassword c && !state.Checks.ContainsKey(c.Id)) return $"a check for {c.Id} is not counted";
        if (!state.Roster.Values.Order(StringComparer.Ordinal).SequenceEqual(state.Members.Map(id => state.Sessions[id].Nick).Order(StringComparer.Ordinal)))
            return "the roster differs from the members";
        var roster = state.Members.Sum(id => 1 + System.Text.Encoding.UTF8.GetByteCount(state.Sessions[id].Nick));
        return roster == state.RosterBytes ? null : $"roster bytes {state.RosterBytes}, members take {roster}";
    }
}
