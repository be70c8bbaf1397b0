using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Client;

public static partial class ClientSession
{
    /// <summary>
    /// BYE reasons after which coming back cannot help (or would be rude): the account is gone, the server cut
    /// the client off for flooding, or it serves this address only over TLS. Any other BYE the client did not ask
    /// for (a restart's <c>server shutting down</c>, <c>ping timeout</c>, <c>server full</c>...) is followed by a reconnect.
    /// </summary>
    public static bool IsFinal(string byeReason) =>
        byeReason is "account removed" or "flooding" or "quit" || byeReason.StartsWith("plaintext is served", StringComparison.Ordinal);

    /// <summary>A lost connection leads to a reconnect: asked for, after having been in the room, and not while leaving.</summary>
    private static bool MayReconnect(ClientState state) => state.Reconnects && state.WasInRoom && !state.Quitting;

    /// <summary>
    /// The connection dropped (or an attempt to come back failed): close it, and try again after the next wait of
    /// <see cref="Backoff"/>, or give up with exit code 3 after <see cref="Backoff.MaxAttempts"/> attempts. What was
    /// typed stays pending and is sent once the client is back in the room; the line being typed is the shell's and
    /// stays as it is. A <c>/logout</c> whose answer never came is asked again.
    /// </summary>
    private static ClientState Reconnect(ClientState state, string reason, DateTimeOffset at, List<ClientEffect> fx)
    {
        var attempt = state.Rejoining.Match(r => r.Attempt, () => 0) + 1;
        fx.Add(new ClientEffect.CloseConnection());
        if (attempt > Backoff.MaxAttempts)
            return Exit(state, ExitCodes.ConnectionFailed,
                $"connection to {state.Endpoint} lost: {reason}; gave up after {Backoff.MaxAttempts} attempts to reconnect", fx);
        // Live events held behind a block of history that will never end now: shown before the notice.
        foreach (var e in state.Held) state = Shown(Echoed(state, e), e, at, fx);
        var (delay, seed) = Backoff.Delay(attempt, state.Seed);
        fx.Add(new ClientEffect.Notice(
            $"{(attempt == 1 ? $"connection to {state.Endpoint} lost" : "could not reconnect")} ({reason}); " +
            $"reconnecting in {delay.TotalSeconds:0.0} s (attempt {attempt} of {Backoff.MaxAttempts})…"));
        return state with
        {
            Phase = ClientPhase.Connecting,
            Protocol = ProtocolVersion.First,
            Rejoining = new Rejoin(attempt, at + delay),
            Seed = seed,
            Pending = state.LoggingOut ? Concatenated(Seq1(new TypedLine(0, "/logout")), state.Pending) : state.Pending,
            UsersSoFar = Empty,
            Reading = None,
            Held = Empty,
            Unechoed = 0,
            Outstanding = Empty,
            Departing = None,
            AwaitingToken = false,
            LoggingOut = false,
            Resuming = false,
            BusyAnswers = 0,
            RetryDeadline = None,
            PaceDeadline = None,
            CatchingUp = false,
            Lag = None,
            Probing = None,
            ProbeDue = None,
        };
    }
}
