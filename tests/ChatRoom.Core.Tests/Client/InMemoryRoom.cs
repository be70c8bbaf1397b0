using ChatRoom.Core.Auth;
using ChatRoom.Core.Client;
using ChatRoom.Core.Log;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;

namespace ChatRoom.Core.Tests.Client;

/// <summary>
/// Several client reducers wired to the room reducer in memory, with no sockets, threads or clock. Lines go through
/// the codecs both ways, as on the wire (a server line is decoded by the protocol the client speaks when it arrives,
/// as the shell does); the room's log commits every append at once, as <see cref="InstantLog"/> does, and is kept
/// for <c>HISTORY BEFORE</c>; passwords and tokens are answered from tables. Time moves only in <see cref="Advance"/>,
/// which ticks each client at its deadlines and the room as it goes. Everything is delivered in one queue, in order,
/// and every loop is bounded.
/// </summary>
public sealed class InMemoryRoom
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    /// <summary>Most deliveries one <see cref="Settle"/> carries out before it calls the run a livelock.</summary>
    private const int MaxDeliveries = 200_000;

    private readonly Dictionary<string, string> _passwords;
    private readonly Dictionary<string, string> _tokens = new();
    private readonly Dictionary<long, int> _owner = new();
    private readonly Dictionary<long, int> _version = new();
    private readonly Queue<Delivery> _queue = new();
    private readonly List<LogEntry> _log = [];
    private readonly ClientState[] _clients;
    private readonly Option<ConnectionId>[] _connection;
    private readonly List<ClientEffect>[] _effects;
    private readonly bool[] _paced;
    private readonly int[] _presenceLines;
    private RoomState _room;
    private long _nextConnection;
    private long _logSeq;
    private int _nextToken;

    private abstract record Delivery;
    private sealed record ToRoom(Input Input) : Delivery;
    private sealed record ToClient(int Client, ConnectionId Via, string Line) : Delivery;
    private sealed record Dropped(int Client, ConnectionId Via, string Reason) : Delivery;
    private sealed record Typed(int Client, ClientInput Input) : Delivery;

    /// <summary>Clients in these states, each with an account whose password is the one its state holds, in a room with these settings (the defaults when null).</summary>
    public InMemoryRoom(IEnumerable<ClientState> clients, RoomSettings? settings = null)
    {
        _room = RoomState.Empty(settings ?? RoomSettings.Default);
        _clients = clients.ToArray();
        _passwords = _clients.ToDictionary(c => Syntax.FoldNick(c.Nick), c => c.Password);
        _connection = new Option<ConnectionId>[_clients.Length];
        _effects = _clients.Select(_ => new List<ClientEffect>()).ToArray();
        _paced = new bool[_clients.Length];
        _presenceLines = new int[_clients.Length];
    }

    /// <summary>A scripted client about to connect as <paramref name="nick"/>, with a password of its own.</summary>
    public static ClientState Client(string nick, bool scripted = true) =>
        ClientState.Initial("memory:7777", nick, $"{nick} password", scripted);

    public DateTimeOffset Now { get; private set; } = T0;

    public ClientState State(int client) => _clients[client];

    /// <summary>Every effect client <paramref name="client"/> was asked to carry out, in order.</summary>
    public IReadOnlyList<ClientEffect> Effects(int client) => _effects[client];

    /// <summary>How many PRESENCE lines (protocol 3) client <paramref name="client"/> was sent.</summary>
    public int PresenceLines(int client) => _presenceLines[client];

    /// <summary>Who the room says is in it, by nickname.</summary>
    public IReadOnlySet<string> Roster => _room.Roster.Values.ToHashSet();

    /// <summary>True once client <paramref name="client"/> held a line back to keep to the rate limit.</summary>
    public bool WasPaced(int client) => _paced[client];

    /// <summary>The texts of the live MESSAGE events client <paramref name="client"/> showed, in order (history is not live).</summary>
    public IReadOnlyList<string> LiveMessages(int client) =>
        _effects[client].Choose(e => e is ClientEffect.Show { History: false, Event: ServerEvent.Message m } ? Some(m.Text) : None).ToList();

    /// <summary>The texts of every MESSAGE event client <paramref name="client"/> showed, live or history, in order.</summary>
    public IReadOnlyList<string> AllMessages(int client) =>
        _effects[client].Choose(e => e is ClientEffect.Show { Event: ServerEvent.Message m } ? Some(m.Text) : None).ToList();

    /// <summary>What the shell does at the start: opens client <paramref name="client"/>'s connection.</summary>
    public InMemoryRoom Start(int client)
    {
        Open(client);
        return Settle();
    }

    /// <summary>A line typed by (or read from the script of) client <paramref name="client"/>.</summary>
    public InMemoryRoom Type(int client, string text)
    {
        _queue.Enqueue(new Typed(client, new ClientInput.UserLine(text, Now)));
        return Settle();
    }

    public InMemoryRoom EndInput(int client)
    {
        _queue.Enqueue(new Typed(client, new ClientInput.InputEnded(Now)));
        return Settle();
    }

    /// <summary>The network breaks client <paramref name="client"/>'s connection: both ends learn it.</summary>
    public InMemoryRoom Drop(int client, string reason = "connection reset")
    {
        if (_connection[client].Case is ConnectionId id)
        {
            _queue.Enqueue(new ToRoom(new Input.Closed(id, reason, Now)));
            _queue.Enqueue(new Dropped(client, id, reason));
        }
        return Settle();
    }

    /// <summary>
    /// Lets <paramref name="elapsed"/> pass: each client is ticked at each of its deadlines on the way (earliest
    /// first, and everything it leads to delivered before the next), then the room is ticked at the end.
    /// </summary>
    public InMemoryRoom Advance(TimeSpan elapsed)
    {
        var until = Now + elapsed;
        for (var i = 0; i < 10_000; i++)
        {
            var due = _clients.Select((c, n) => (Due: c.NextDeadline, Client: n))
                .Where(d => d.Due.Exists(t => t <= until))
                .OrderBy(d => d.Due.IfNone(until)).ThenBy(d => d.Client).FirstOrDefault();
            if (due.Due.Case is not DateTimeOffset at) break;
            Now = at > Now ? at : Now;
            StepClient(due.Client, new ClientInput.Tick(Now));
            Settle();
        }
        Now = until;
        _queue.Enqueue(new ToRoom(new Input.Tick(Now)));
        return Settle();
    }

    /// <summary>Delivers everything in flight, in order.</summary>
    public InMemoryRoom Settle()
    {
        for (var n = 0; _queue.Count > 0; n++)
        {
            if (n >= MaxDeliveries) throw new InvalidOperationException("the clients and the room never settle");
            switch (_queue.Dequeue())
            {
                case ToRoom(var input):
                    StepRoom(input);
                    break;
                // A line from a connection the client gave up counts no more, as in the shell.
                case ToClient(var client, var via, var line) when _connection[client] == via:
                    if (line.StartsWith("PRESENCE ", StringComparison.Ordinal)) _presenceLines[client]++;
                    StepClient(client, new ClientInput.ServerLine(EventCodec.Decode(line, _clients[client].Protocol), Now));
                    break;
                case Dropped(var client, var via, var reason) when _connection[client] == via:
                    _connection[client] = None;
                    StepClient(client, new ClientInput.Disconnected(reason, Now));
                    break;
                case Typed(var client, var input):
                    StepClient(client, input);
                    break;
            }
        }
        return this;
    }

    private void Open(int client)
    {
        var id = new ConnectionId(++_nextConnection);
        _owner[id.Value] = client;
        _connection[client] = id;
        _queue.Enqueue(new ToRoom(new Input.Opened(id, $"10.0.0.{client + 1}", 40000 + (int)id.Value, Now)));
    }

    private void StepClient(int client, ClientInput input)
    {
        var outcome = ClientSession.Step(_clients[client], input);
        _clients[client] = outcome.State;
        _paced[client] |= outcome.State.PaceDeadline.IsSome;
        foreach (var effect in outcome.Effects)
        {
            _effects[client].Add(effect);
            switch (effect)
            {
                case ClientEffect.Send send when _connection[client].Case is ConnectionId id:
                    var line = CommandCodec.Encode(send.Command).IfFail(e => throw new InvalidOperationException($"unencodable {send.Command}: {e}"));
                    _queue.Enqueue(new ToRoom(new Input.Received(id, CommandCodec.Decode(line), Now)));
                    break;
                case ClientEffect.Connect:
                    Open(client);
                    break;
                case ClientEffect.CloseConnection or ClientEffect.Exit or ClientEffect.FallBack:
                    if (_connection[client].Case is ConnectionId open) _queue.Enqueue(new ToRoom(new Input.Closed(open, "peer closed", Now)));
                    _connection[client] = None;
                    break;
            }
        }
    }

    /// <summary>One room step, then the commit of its appends at once (the entries kept for HISTORY BEFORE), as InstantLog does.</summary>
    private void StepRoom(Input input)
    {
        var outcome = ChatRoom.Core.Room.Room.Step(_room, input);
        _room = outcome.State;
        Carry(outcome.Effects);
        var drafts = outcome.Effects.Choose(e => e is Effect.Append a ? Some(a.Draft) : None).ToList();
        if (drafts.Count == 0) return;
        _logSeq = Math.Max(_logSeq, _room.Seq);
        var entries = drafts.Select(d => new LogEntry(++_logSeq, d.At, d.Event, d.Origin)).ToList();
        _log.AddRange(entries);
        var committed = ChatRoom.Core.Room.Room.Step(_room, new Input.Committed(entries.ToSeq().Strict(), Now));
        _room = committed.State;
        Carry(committed.Effects);
    }

    private void Carry(Seq<Effect> effects)
    {
        foreach (var effect in effects)
            switch (effect)
            {
                case Effect.Send send:
                    Deliver(send.To, send.Event);
                    break;
                case Effect.Broadcast broadcast:
                    foreach (var to in broadcast.To) Deliver(to, broadcast.Event);
                    break;
                case Effect.Close close when _owner.TryGetValue(close.Id.Value, out var client):
                    _queue.Enqueue(new Dropped(client, close.Id, close.Reason));
                    _queue.Enqueue(new ToRoom(new Input.Closed(close.Id, close.Reason, Now)));
                    break;
                case Effect.CheckPassword check:
                    var known = _passwords.TryGetValue(Syntax.FoldNick(check.Nick), out var password);
                    var verdict = !known ? AuthVerdict.UnknownUser : password == check.Password ? AuthVerdict.Accepted : AuthVerdict.WrongPassword;
                    _queue.Enqueue(new ToRoom(new Input.LoginChecked(check.Id, check.Nick, verdict, Now)));
                    break;
                case Effect.CheckToken check:
                    var valid = _tokens.TryGetValue(check.Token.Value, out var owner) && owner == Syntax.FoldNick(check.Nick);
                    _queue.Enqueue(new ToRoom(new Input.TokenChecked(check.Id, check.Nick, valid ? Some(Now.AddDays(30)) : None, Now)));
                    break;
                case Effect.IssueToken issue:
                    var token = new Secret($"token{++_nextToken:D20}");
                    _tokens[token.Value] = Syntax.FoldNick(issue.Nick);
                    _queue.Enqueue(new ToRoom(new Input.TokenIssued(issue.Id, issue.Nick, Some(token), issue.Expires, Now)));
                    break;
                case Effect.RevokeToken revoke:
                    _tokens.Remove(revoke.Token.Value);
                    break;
                case Effect.ReadHistory read:
                    var page = _log.Where(e => e.Seq < read.Before).TakeLast(read.Count).ToSeq().Strict();
                    _queue.Enqueue(new ToRoom(new Input.HistoryRead(read.Id, page, Now)));
                    break;
                case Effect.UseProtocol use:
                    _version[use.Id.Value] = use.Version;
                    break;
            }
    }

    private void Deliver(ConnectionId to, ServerEvent e)
    {
        if (!_owner.TryGetValue(to.Value, out var client)) return;
        var version = _version.TryGetValue(to.Value, out var v) ? v : ProtocolVersion.First;
        EventCodec.Encode(e, version).IfSucc(line => _queue.Enqueue(new ToClient(client, to, line)));
    }
}
