using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Room;

public static partial class Room
{
    /// <summary>The BYE reason when no place can be found, and for the anonymous connection that makes room.</summary>
    public const string ServerFull = "server full";

    /// <summary>The BYE reason when an address already holds as many connections as it may.</summary>
    public const string TooManyFromAddress = "too many connections from your address";

    /// <summary>The BYE reason when the server stops, and for a connection that arrives while it does.</summary>
    public const string ShuttingDownReason = "server shutting down";

    /// <summary>The start of the BYE reason for a plaintext connection from the network (see <see cref="RoomSettings.PlaintextLoopbackOnly"/>).</summary>
    public const string PlaintextRefused = "plaintext is served to loopback only";

    /// <summary>The BYE reason for a client that does not read what it is sent.</summary>
    public const string SendQueueExceeded = "send queue exceeded";

    /// <summary>
    /// A new connection. The address's own caps are checked first (a refusal there cannot hurt anyone else);
    /// then, when the server or its pool of not-yet-logged-in connections is full, the newcomer takes the
    /// place of the oldest anonymous connection of the address holding the most of them (see
    /// <see cref="Victim"/>). Only when every connection is a member is the newcomer refused.
    /// </summary>
    private static RoomState Open(RoomState state, Input.Opened o, Effects fx)
    {
        if (state.Sessions.ContainsKey(o.Id)) return state;
        if (state.ShuttingDown) return Turned(state, o, ShuttingDownReason, fx);
        var settings = state.Settings;
        if (!o.Encrypted && settings.PlaintextLoopbackOnly && !IsLoopback(o.Address))
            return Turned(state, o, settings.TlsPort > 0 ? $"{PlaintextRefused}: connect with TLS to port {Str(settings.TlsPort)}" : PlaintextRefused, fx);
        var address = state.Addresses.Find(o.Address).IfNone(AddressRecord.Empty);
        // Reconnecting must not buy a flooder a fresh allowance: its address waits out the flood cool-down.
        if (address.FloodedUntil > o.At) return Turned(state, o, Flooding, fx);
        if (address.Connections >= settings.MaxConnectionsPerAddress || address.Anonymous >= settings.MaxAnonymousPerAddress)
            return Turned(state, o, TooManyFromAddress, fx);

        var next = state;
        if (next.Sessions.Count >= settings.MaxConnections || next.Anonymous.Count >= settings.MaxAnonymous)
        {
            if (Victim(next).Case is not Session victim) return Turned(state, o, ServerFull, fx);
            fx.Log(Severity.Warning, "server full: dropping {Connection} from {Address}, not logged in, to make room for {Newcomer}",
                victim.Id.ToString(), victim.Address, o.Id.ToString());
            next = Expire(next, victim, ServerFull, fx);
        }

        var session = new Session(o.Id, o.Address, o.Port, Phase.AwaitingLogin, "", o.At, o.At, None,
            TokenBucket.Full(settings.RateBurst, o.At));
        fx.Log(Severity.Information, "connection request from {Address}:{Port} ({Connection})",
            o.Address, Str(o.Port), o.Id.ToString());
        fx.Send(o.Id, Greeting(settings));
        return Counted(next with { Sessions = next.Sessions.Add(o.Id, session) }, o.Address, o.Id, connections: +1, anonymous: +1);
    }

    /// <summary>True for 127.0.0.0/8 and ::1 (an address the shell gives as text, possibly IPv4-mapped).</summary>
    private static bool IsLoopback(string address) =>
        System.Net.IPAddress.TryParse(address, out var ip) && System.Net.IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip);

    private static RoomState Turned(RoomState state, Input.Opened o, string reason, Effects fx)
    {
        fx.Log(Severity.Warning, "refused connection from {Address}:{Port}: {Reason}", o.Address, Str(o.Port), reason);
        fx.Send(o.Id, new ServerEvent.Bye(reason));
        fx.Add(new Effect.Close(o.Id, reason));
        return state;
    }

    /// <summary>
    /// The anonymous connection that makes room for a newcomer: the oldest one of the address that holds the
    /// most. When no address holds more than one, simply the oldest. None when every connection is a member.
    /// An attacker who fills the pool therefore only ever pushes out its own connections, and one who
    /// reconnects at once cannot keep anyone else out.
    /// </summary>
    private static Option<Session> Victim(RoomState state)
    {
        if (state.Holders.Max.Case is not Holder (var count, var address)) return None;
        var oldest = count > 1 ? state.Addresses.Find(address).Bind(a => a.AnonymousIds.Min) : state.Anonymous.Min;
        return oldest.Bind(state.Sessions.Find);
    }

    /// <summary>A connection left: its place in its address's counts is given back.</summary>
    private static RoomState Released(RoomState state, Session session) =>
        Counted(state, session.Address, session.Id, connections: -1, anonymous: session.Phase == Phase.InRoom || session.Joining ? 0 : -1);

    /// <summary>A connection logged in: it no longer counts as anonymous.</summary>
    private static RoomState Joined(RoomState state, Session session) =>
        Counted(state, session.Address, session.Id, connections: 0, anonymous: -1);

    /// <summary>
    /// Changes an address's connection counts and keeps the anonymous pool (<see cref="RoomState.Anonymous"/>,
    /// <see cref="RoomState.Holders"/>) in step. An address with nothing left to remember is forgotten.
    /// </summary>
    private static RoomState Counted(RoomState state, string address, ConnectionId id, int connections, int anonymous)
    {
        var before = state.Addresses.Find(address).IfNone(AddressRecord.Empty);
        var after = before with
        {
            Connections = Math.Max(0, before.Connections + connections),
            AnonymousIds = anonymous > 0 ? before.AnonymousIds.TryAdd(id) : anonymous < 0 ? before.AnonymousIds.Remove(id) : before.AnonymousIds,
        };
        var next = state with
        {
            Addresses = after.Connections == 0 && after.Failures.IsEmpty && after.CooldownUntil == DateTimeOffset.MinValue
                        && after.FloodedUntil == default
                ? state.Addresses.Remove(address)
                : state.Addresses.AddOrUpdate(address, after),
        };
        if (anonymous == 0 || after.Anonymous == before.Anonymous) return next;
        var holders = state.Holders.Remove(new Holder(before.Anonymous, address));
        return next with
        {
            Anonymous = anonymous > 0 ? state.Anonymous.TryAdd(id) : state.Anonymous.Remove(id),
            Holders = after.Anonymous > 0 ? holders.TryAdd(new Holder(after.Anonymous, address)) : holders,
        };
    }
}
