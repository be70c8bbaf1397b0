using System.Globalization;
using BenchmarkDotNet.Attributes;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;

namespace ChatRoom.Benchmarks;

/// <summary>
/// One <see cref="Room.Step"/> of a SAY from one member of a room of <see cref="Members"/> members. Every
/// operation steps the same state, so it measures one step, not a growing room. Setup checks that the outcome
/// holds exactly one Broadcast to every member and no Send: the reducer's share of a broadcast is O(1),
/// and this benchmark is the evidence.
/// <see cref="SayRateLimited"/> is the same step under the default settings (the rate limit on), and
/// <see cref="UpdateOneSession"/> is the one map update every received line makes (it records when the
/// member was last heard), measured alone so the growth with the room's size can be attributed.
/// </summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Params(10, 1_000, 10_000)]
    public int Members { get; set; }

    private RoomState _room = RoomState.Initial;
    private RoomState _rateLimitedRoom = RoomState.Initial;
    private Input _say = new Input.Tick(T0);
    private Session _speaker = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Rate limiting off so the same member can SAY forever; one loopback address holds every connection.
        var settings = RoomSettings.Default with
        {
            RateLimitEnabled = false,
            MaxConnections = Members,
            MaxConnectionsPerAddress = Members,
        };
        var room = RoomState.Empty(settings);
        for (var i = 1; i <= Members; i++)
        {
            var id = new ConnectionId(i);
            var nick = "user" + i.ToString(CultureInfo.InvariantCulture);
            room = Room.Step(room, new Input.Opened(id, "127.0.0.1", 40_000 + i % 20_000, T0)).State;
            room = Room.Step(room, new Input.Received(id, FinSucc<Command>(new Command.Login(nick, "pw")), T0)).State;
            room = Room.Step(room, new Input.LoginChecked(id, nick, AuthVerdict.Accepted, T0)).State;
        }
        if (room.Members.Count != Members)
            throw new InvalidOperationException($"setup admitted {room.Members.Count} members, not {Members}");

        _room = room;
        // Every member was admitted with a full bucket, so under the rate limit each SAY here is allowed too.
        _rateLimitedRoom = room with { Settings = room.Settings with { RateLimitEnabled = true } };
        var speaker = new ConnectionId(Members / 2);
        _speaker = room.Sessions[speaker] with { LastHeard = T0.AddSeconds(1) };
        _say = new Input.Received(speaker,
            FinSucc<Command>(new Command.Say("did anyone see the deploy on main this morning?")), T0.AddSeconds(1));

        OneBroadcastAndNoSend(Say().Effects);
        OneBroadcastAndNoSend(SayRateLimited().Effects);
    }

    [Benchmark]
    public Outcome Say() => Room.Step(_room, _say);

    [Benchmark]
    public Outcome SayRateLimited() => Room.Step(_rateLimitedRoom, _say);

    [Benchmark]
    public HashMap<OrdConnectionId, ConnectionId, Session> UpdateOneSession() => _room.Sessions.SetItem(_speaker.Id, _speaker);

    private void OneBroadcastAndNoSend(Seq<Effect> effects)
    {
        var broadcasts = effects.Filter(e => e is Effect.Broadcast).ToList();
        var sends = effects.Filter(e => e is Effect.Send).Count;
        if (broadcasts is not [Effect.Broadcast { Event: ServerEvent.Message } broadcast]
            || broadcast.To.Count != Members || sends != 0)
            throw new InvalidOperationException(
                $"a SAY among {Members} members should give one Broadcast to all and no Send; it gave {effects}");
    }
}
