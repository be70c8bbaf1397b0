using BenchmarkDotNet.Attributes;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Benchmarks;

/// <summary>
/// <see cref="CommandCodec.Decode"/> for one typical line of each client verb, one row per verb. Every sample
/// decodes successfully (checked in setup), so each row measures the path a well-behaved client takes.
/// </summary>
[MemoryDiagnoser]
public class CommandDecodeBenchmarks
{
    /// <summary>The sample line of each row, without its terminator.</summary>
    public static readonly IReadOnlyDictionary<string, string> Samples = new Dictionary<string, string>
    {
        ["LOGIN"] = "LOGIN alice correct-horse-battery",
        ["SAY"] = "SAY did anyone see the deploy on main this morning? the flaky test is fixed",
        ["SAY (CJK)"] = "SAY 今天下午三点开会，大家记得准备材料，谢谢！",
        ["WHISPER"] = "WHISPER bob lunch at noon? the usual place",
        ["WHO"] = "WHO",
        ["PING"] = "PING 1764158400",
        ["PONG"] = "PONG 1764158400",
        ["QUIT"] = "QUIT see you tomorrow",
    };

    public static IEnumerable<string> Verbs => Samples.Keys;

    [ParamsSource(nameof(Verbs))]
    public string Verb { get; set; } = "";

    private string _line = "";

    [GlobalSetup]
    public void Setup()
    {
        _line = Samples[Verb];
        if (CommandCodec.Decode(_line).IsFail)
            throw new InvalidOperationException($"the {Verb} sample does not decode: {_line}");
    }

    [Benchmark]
    public Fin<Command> Decode() => CommandCodec.Decode(_line);
}

/// <summary>
/// <see cref="EventCodec.Encode"/> for one typical event of each kind the server sends, one row per event.
/// <see cref="EncodeToWire"/> adds <see cref="LineFramer.ToWire"/> (string, then UTF-8 bytes with LF).
/// <see cref="EncodeLine"/> is what the Host's room thread calls once per Send or Broadcast: the same bytes,
/// written straight from the event for MESSAGE, JOINED and USERS.
/// </summary>
[MemoryDiagnoser]
public class EventEncodeBenchmarks
{
    /// <summary>The sample event of each row. USERS lists ten nicknames.</summary>
    public static readonly IReadOnlyDictionary<string, ServerEvent> Samples = new Dictionary<string, ServerEvent>
    {
        ["HELLO"] = ServerEvent.Hello.Current,
        ["WELCOME"] = new ServerEvent.Welcome("alice"),
        ["USERS"] = new ServerEvent.Users(Seq("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "北落", "mallory")),
        ["DENIED"] = new ServerEvent.Denied("invalid nickname or password"),
        ["JOINED"] = new ServerEvent.Joined(1041, "alice"),
        ["LEFT"] = new ServerEvent.Left(1042, "alice", "see you tomorrow"),
        ["MESSAGE"] = new ServerEvent.Message(1043, "alice", "did anyone see the deploy on main this morning? the flaky test is fixed"),
        ["MESSAGE (CJK)"] = new ServerEvent.Message(1044, "北落", "今天下午三点开会，大家记得准备材料，谢谢！"),
        ["WHISPER"] = new ServerEvent.Whisper("alice", "bob", "lunch at noon? the usual place"),
        ["PING"] = new ServerEvent.Ping("1764158400"),
        ["PONG"] = new ServerEvent.Pong("1764158400"),
        ["ERROR"] = new ServerEvent.Error(ErrorCodes.NoSuchUser, "no such user: mallory"),
        ["BYE"] = new ServerEvent.Bye("server shutting down"),
    };

    public static IEnumerable<string> Events => Samples.Keys;

    [ParamsSource(nameof(Events))]
    public string Event { get; set; } = "";

    private ServerEvent _event = ServerEvent.Hello.Current;

    [GlobalSetup]
    public void Setup()
    {
        _event = Samples[Event];
        if (EventCodec.Encode(_event).IsFail)
            throw new InvalidOperationException($"the {Event} sample does not encode: {_event}");
    }

    [Benchmark]
    public Fin<string> Encode() => EventCodec.Encode(_event);

    [Benchmark]
    public byte[]? EncodeToWire() => EventCodec.Encode(_event).Case is string line ? LineFramer.ToWire(line) : null;

    [Benchmark]
    public Fin<byte[]> EncodeLine() => EventCodec.EncodeLine(_event);
}
