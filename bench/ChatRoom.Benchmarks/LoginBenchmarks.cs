using System.Globalization;
using BenchmarkDotNet.Attributes;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;

namespace ChatRoom.Benchmarks;

/// <summary>
/// One login into a room of <see cref="Members"/> members: the LOGIN step and the accepted verdict's step (the
/// admission, WELCOME, USERS, JOINED), for an ASCII nickname and a CJK one. Every operation steps the same
/// state. This is the reducer's share of the login storm, where the look-alike rules (Core/Names) run twice
/// per login (at LOGIN and at admission) and once more when the member leaves.
/// </summary>
[MemoryDiagnoser]
public class LoginBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Params(10, 10_000)]
    public int Members { get; set; }

    private RoomState _room = RoomState.Initial;
    private ConnectionId _newcomer;

    [GlobalSetup]
    public void Setup()
    {
        var settings = RoomSettings.Default with { MaxConnections = Members + 1, MaxConnectionsPerAddress = Members + 1 };
        var room = RoomState.Empty(settings);
        for (var i = 1; i <= Members + 1; i++)
        {
            var id = new ConnectionId(i);
            room = Room.Step(room, new Input.Opened(id, "127.0.0.1", 40_000 + i % 20_000, T0)).State;
            if (i > Members) break;
            var nick = "user" + i.ToString(CultureInfo.InvariantCulture);
            room = Room.Step(room, new Input.Received(id, FinSucc<Command>(new Command.Login(nick, "pw")), T0)).State;
            room = Room.Step(room, new Input.LoginChecked(id, nick, AuthVerdict.Accepted, T0)).State;
        }
        _room = room;
        _newcomer = new ConnectionId(Members + 1);
        foreach (var nick in new[] { "newcomer42", "田中さん" })
            if (LogIn(nick).Members.Count != Members + 1)
                throw new InvalidOperationException($"{nick} was not admitted into a room of {Members}");
    }

    [Benchmark(Baseline = true)]
    public RoomState LoginAscii() => LogIn("newcomer42");

    [Benchmark]
    public RoomState LoginCjk() => LogIn("田中さん");

    private RoomState LogIn(string nick)
    {
        var checking = Room.Step(_room, new Input.Received(_newcomer, FinSucc<Command>(new Command.Login(nick, "pw")), T0)).State;
        return Room.Step(checking, new Input.LoginChecked(_newcomer, nick, AuthVerdict.Accepted, T0)).State;
    }
}
