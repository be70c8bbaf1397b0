using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ChatRoom.Core.Tests.Client;

/// <summary>
/// Two or three client reducers against the room reducer, in memory (<see cref="InMemoryRoom"/>): what people see
/// when they talk, and what a dropped connection costs. No process, socket or sleep: time moves when told.
/// </summary>
public class ClientsInRoomProperties
{
    private static readonly string[] Nicks = ["alice", "bob", "北落"];
    private static readonly string[] Words = ["", " hello", " 你好", " /not a command", " " + new string('x', 300)];

    /// <summary>One line said: by whom (an index), after how long (ms), and a word to vary its text.</summary>
    public sealed record Said(int Client, int GapMs, int Word);

    private static Gen<Said[]> Script(int clients, int most) =>
        (from client in Gen.Choose(0, clients - 1)
         from gap in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 400)))
         from word in Gen.Choose(0, Words.Length - 1)
         select new Said(client, gap, word))
        .ArrayOf().Select(a => a.Length > most ? a[..most] : a);

    private static string Text(Said said, int n) => $"{Nicks[said.Client]} line {n}{Words[said.Word]}";

    /// <summary>Every client of the room, connected and logged in, one after the other, before anything is said.</summary>
    private static InMemoryRoom Joined(IReadOnlyList<ClientState> clients, RoomSettings? settings = null)
    {
        var room = new InMemoryRoom(clients, settings);
        for (var i = 0; i < clients.Count; i++) room.Start(i).Advance(TimeSpan.FromMilliseconds(100));
        return room;
    }

    [Property(MaxTest = 100)]
    public Property Every_line_said_is_shown_to_every_client_once_in_one_order() =>
        Prop.ForAll((
            from clients in Gen.Choose(2, 3)
            from script in Script(clients, 60)
            from tight in ArbMap.Default.GeneratorFor<bool>()
            from lag in ArbMap.Default.GeneratorFor<bool>()
            select (Clients: clients, Script: script, Tight: tight, Lag: lag)).ToArbitrary(), run =>
        {
            // A tight rate limit (a burst of 6, 2 a second) makes the clients pace themselves on most runs; clients
            // that measure lag put PINGs of their own among their lines.
            var settings = run.Tight ? RoomSettings.Default with { RateBurst = 6, RatePerSecond = 2 } : null;
            var room = Joined(Nicks.Take(run.Clients).Select(n => InMemoryRoom.Client(n) with { MeasuresLag = run.Lag }).ToList(), settings);
            var said = new List<(int Client, string Text)>();
            foreach (var (line, n) in run.Script.Select((s, n) => (s, n)))
            {
                room.Advance(TimeSpan.FromMilliseconds(line.GapMs));
                var text = Text(line, n);
                said.Add((line.Client, text));
                room.Type(line.Client, text);
            }
            // Long enough for the pacing of the longest script to let every line out.
            room.Advance(TimeSpan.FromSeconds(60));

            var seen = Enumerable.Range(0, run.Clients).Select(room.LiveMessages).ToList();
            var paced = Enumerable.Range(0, run.Clients).Any(c => room.WasPaced(c));
            return Enumerable.Range(0, run.Clients).Aggregate(Prop.Label(true, "no client"), (property, c) =>
                    property
                        .And(Prop.Label(room.State(c).Phase == ClientPhase.InRoom, $"{Nicks[c]} is still in the room"))
                        .And(Prop.Label(!run.Lag || room.State(c).Lag.Exists(l => !l.AtLeast) && room.State(c).Probes >= 3,
                            $"{Nicks[c]} measured the lag with every probe answered"))
                        .And(Prop.Label(seen[c].SequenceEqual(seen[0]), $"{Nicks[c]} saw the messages {Nicks[0]} saw, in the same order"))
                        .And(Prop.Label(seen[c].Order().SequenceEqual(said.Select(s => s.Text).Order()), $"{Nicks[c]} saw every line once"))
                        .And(Prop.Label(seen[c].Where(t => t.StartsWith(Nicks[c] + " ", StringComparison.Ordinal))
                            .SequenceEqual(said.Where(s => s.Client == c).Select(s => s.Text)), $"{Nicks[c]}'s lines are in the order typed")))
                .Classify(paced, "someone was paced")
                .Classify(run.Clients == 3, "three clients")
                .Classify(run.Lag, "measuring lag");
        });

    /// <summary>A reconnecting client's script: lines said before the drop, typed while away, and what bob says meanwhile.</summary>
    public sealed record Drop(int Before, int Away, int BobWhileAway, bool WithToken, ulong Seed);

    [Property(MaxTest = 100)]
    public Property A_client_whose_connection_drops_comes_back_logged_in_and_sends_what_was_typed_meanwhile_once() =>
        Prop.ForAll((
            from before in Gen.Choose(0, 25)
            from away in Gen.Choose(0, 5)
            from bob in Gen.Choose(0, 2)
            from token in ArbMap.Default.GeneratorFor<bool>()
            from seed in ArbMap.Default.GeneratorFor<ulong>()
            select new Drop(before, away, bob, token, seed)).ToArbitrary(), run =>
        {
            var alice = InMemoryRoom.Client("alice") with { Reconnects = true, Remember = run.WithToken, Seed = run.Seed };
            var room = Joined([alice, InMemoryRoom.Client("bob")]);
            var lines = new List<string>();
            for (var i = 0; i < run.Before; i++)
            {
                lines.Add($"before {i}");
                room.Type(0, lines[^1]);
            }
            room.Drop(0);
            for (var i = 0; i < run.Away; i++)
            {
                lines.Add($"away {i}");
                room.Type(0, lines[^1]);
            }
            var bobs = Enumerable.Range(0, run.BobWhileAway).Select(i => $"bob while away {i}").ToList();
            foreach (var line in bobs) room.Type(1, line);
            room.Advance(TimeSpan.FromSeconds(60));

            var sent = room.Effects(0).Choose(e => e is ClientEffect.Send s ? Some(s.Command) : None).ToList();
            var logins = sent.Count(c => c is Command.Login);
            var resumes = sent.Count(c => c is Command.Resume);
            var aliceSaw = room.AllMessages(0);
            return Prop.Label(room.State(0).Phase == ClientPhase.InRoom, "alice is back in the room")
                .And(Prop.Label(room.State(0).Pending.IsEmpty, "nothing typed is left pending"))
                .And(Prop.Label(room.LiveMessages(1).Where(t => !t.StartsWith("bob ", StringComparison.Ordinal)).SequenceEqual(lines),
                    "bob saw each of alice's lines once, in order, those typed while away included"))
                .And(Prop.Label(bobs.All(b => aliceSaw.Count(t => t == b) == 1), "alice was shown what bob said while she was away, once"))
                .And(run.WithToken
                    ? Prop.Label(logins == 1 && resumes == 1, $"with a token: one LOGIN, then RESUME (LOGIN {logins}, RESUME {resumes})")
                    : Prop.Label(logins == 2 && resumes == 0, $"with the password: LOGIN again (LOGIN {logins}, RESUME {resumes})"))
                .Classify(run.Before > 16, "paced before the drop")
                .Classify(run.Away > 0, "typed while away");
        });

    /// <summary>Who a client would list as online from what it showed: each USERS list replaces it, live JOINED and LEFT change it.</summary>
    private static IReadOnlySet<string> ViewOf(IEnumerable<ClientEffect> effects)
    {
        var view = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var effect in effects)
            switch (effect)
            {
                case ClientEffect.Show { History: false, Event: ServerEvent.Users users }:
                    view = users.Nicks.ToHashSet(StringComparer.Ordinal);
                    break;
                case ClientEffect.Show { History: false, Event: ServerEvent.Joined joined }:
                    view.Add(joined.Nick);
                    break;
                case ClientEffect.Show { History: false, Event: ServerEvent.Left left }:
                    view.Remove(left.Nick);
                    break;
            }
        return view;
    }

    private static readonly string[] Crowd = ["ann", "ben", "北落", "dan", "eve", "fay"];

    [Property(MaxTest = 100)]
    public Property In_a_room_that_gathers_presence_every_client_knows_who_is_there() =>
        Prop.ForAll((
            from clients in Gen.Choose(3, 6)
            from leaving in Gen.ListOf(Gen.Choose(0, 5)).Select(l => l.Distinct().ToList())
            from gaps in Gen.ArrayOf(Gen.Choose(0, 1500), 12)
            select (Clients: clients, Leaving: leaving, Gaps: gaps)).ToArbitrary(), run =>
        {
            // PRESENCE from a room of 2 (the real threshold is 200), so that a few clients see it often.
            var room = new InMemoryRoom(Crowd.Take(run.Clients).Select(n => InMemoryRoom.Client(n)), RoomSettings.Default with { PresenceBatchAt = 2 });
            var step = 0;
            for (var c = 0; c < run.Clients; c++)
                room.Start(c).Advance(TimeSpan.FromMilliseconds(run.Gaps[step++ % run.Gaps.Length]));
            var left = run.Leaving.Where(c => c < run.Clients).ToList();
            foreach (var c in left)
                room.EndInput(c).Advance(TimeSpan.FromMilliseconds(run.Gaps[step++ % run.Gaps.Length]));
            room.Advance(TimeSpan.FromSeconds(2));

            var staying = Enumerable.Range(0, run.Clients).Where(c => !left.Contains(c)).ToList();
            var expected = staying.Select(c => Crowd[c]).ToHashSet(StringComparer.Ordinal);
            var presence = staying.Sum(room.PresenceLines);
            return Prop.Label(room.Roster.SetEquals(expected), "the room holds exactly those who stayed")
                .And(staying.Aggregate(Prop.Label(true, "no one stayed"), (property, c) => property
                    .And(Prop.Label(room.State(c).Protocol == 3, $"{Crowd[c]} speaks protocol 3"))
                    .And(Prop.Label(ViewOf(room.Effects(c)).SetEquals(expected),
                        $"{Crowd[c]} lists {string.Join(",", ViewOf(room.Effects(c)).Order())}, the room holds {string.Join(",", expected.Order())}"))))
                .Classify(presence > 0, "PRESENCE lines were sent")
                .Classify(left.Count > 0, "someone left");
        });
}
