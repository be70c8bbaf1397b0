using System.Runtime.InteropServices;
using System.Threading.Channels;
using ChatRoom.Client.Display;
using ChatRoom.Core.Client;
using ChatRoom.Client.Terminal;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Shell;

/// <summary>
/// The imperative shell around <see cref="ClientSession"/>: the one loop that owns the state, feeds it inputs
/// from the network, the keyboard or the script, the clock (<see cref="Alarm"/>) and signals, and carries out its effects. Every other
/// thread only posts <see cref="LoopEvent"/>s, so output is written by one thread, in order.
/// </summary>
internal sealed class ClientRunner
{
    private readonly RunSettings _settings;
    private readonly ClientOutput _output;
    private readonly Channel<LoopEvent> _events =
        Channel.CreateUnbounded<LoopEvent>(new UnboundedChannelOptions { SingleReader = true });
    private ServerConnection? _connection;
    private InputLine _line = InputLine.Empty;
    private bool _inputStarted;
    private readonly Alarm _alarm;

    public ClientRunner(RunSettings settings, ClientOutput output)
    {
        _settings = settings;
        _output = output;
        _alarm = new Alarm(due => _events.Writer.TryWrite(new LoopEvent.Wake(due)));
    }

    /// <summary>
    /// True when the run ended because the stored token was refused: the caller deletes nothing more (the file is
    /// already gone) and runs again with the password.
    /// </summary>
    public bool FellBack { get; private set; }

    /// <summary>The newest room seq seen so far: a run that falls back to the password goes on from it.</summary>
    public long LastSeen { get; private set; }

    /// <summary>
    /// Called on the loop with each step: the state, the input and the outcome, before any effect is carried out. So a
    /// test can check that the loop is <see cref="ClientSession.Run"/> over the inputs it applied.
    /// </summary>
    internal Action<ClientState, ClientInput, ClientOutcome>? Applied { get; set; }

    /// <summary>Runs until the reducer decides the exit code.</summary>
    public async Task<int> Run()
    {
        var state = ClientState.Initial($"{_settings.Host}:{_settings.Port}", _settings.Nick, _settings.Password,
            scripted: !_settings.Interactive) with
        {
            Token = _settings.Token,
            Remember = _settings.TokenFile is not null,
            LastSeen = _settings.LastSeen,
            Reconnects = _settings.Reconnect,
            Strict = _settings.Strict,
            Seed = (ulong)Random.Shared.NextInt64(),
        };
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupted);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupted);
        using var resized = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGWINCH, Redraw);
        using var continued = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGCONT, Redraw);

        Trace(Display.Trace.Note($"connecting to {state.Endpoint}" + (_settings.Tls is null ? "" : " (TLS)")));
        // With TLS the connection is opened before the keyboard is read: an unknown certificate may need a question
        // answered on the terminal first. With a stored token, the keyboard is not read until the login is settled:
        // if the token is refused, the password is asked for at the terminal, which the keyboard thread would
        // otherwise be reading.
        if (_settings.Tls is not null) await Connect().ConfigureAwait(false);
        if (_settings.Token.IsNone) StartInputThread();
        if (_settings.Tls is null) _ = Connect();
        if (_inputStarted) _output.Input(Prompt(state), _line);

        try
        {
            await foreach (var loopEvent in _events.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (ToInput(loopEvent, state) is not { } input) continue;
                var outcome = ClientSession.Step(state, input);
                Applied?.Invoke(state, input, outcome);
                if (outcome.State.Phase != state.Phase) Trace(Display.Trace.Changed(state.Phase, outcome.State.Phase));
                var before = state;
                state = outcome.State;
                LastSeen = state.LastSeen;
                _alarm.Follow(state);
                foreach (var effect in outcome.Effects)
                {
                    if (effect is ClientEffect.Exit exit)
                    {
                        _output.Final(exit.Message);
                        return exit.Code;
                    }
                    if (effect is ClientEffect.FallBack fallBack)
                    {
                        _output.Notice(fallBack.Reason);
                        FellBack = true;
                        return ExitCodes.LoginRefused;
                    }
                    await Carry(effect).ConfigureAwait(false);
                }
                if (!_inputStarted && state.Phase == ClientPhase.InRoom)
                {
                    StartInputThread();
                    _output.Input(Prompt(state), _line);
                }
                if (_inputStarted && Prompt(before) != Prompt(state)) _output.Input(Prompt(state), _line);
            }
            return ExitCodes.ConnectionFailed;
        }
        finally
        {
            _connection?.Dispose();
        }
    }

    /// <summary>Turns what another thread posted into an input for the reducer, handling what is the shell's own.</summary>
    private ClientInput? ToInput(LoopEvent loopEvent, ClientState state)
    {
        switch (loopEvent)
        {
            case LoopEvent.Input input:
                return input.Value;
            // Lines and the end of a connection given up (CloseConnection) count no more.
            case LoopEvent.Line line when line.From != _connection:
                return null;
            case LoopEvent.Closed closed:
                return closed.Connection == _connection ? new ClientInput.Disconnected(closed.Reason, closed.At) : null;
            case LoopEvent.Line line:
                line.Framed.IfSucc(text => Trace(Display.Trace.Received(text)));
                // Decoded by the protocol in force when the line comes: PROTOCOL 2 changes it for the lines after it.
                return new ClientInput.ServerLine(line.Framed.Bind(text => EventCodec.Decode(text, state.Protocol)), line.At);
            case LoopEvent.Connected connected:
                _connection?.Dispose();
                _connection = connected.Connection;
                Trace(Display.Trace.Note($"connected to {state.Endpoint}"));
                _ = Read(connected.Connection);
                return null;
            case LoopEvent.Wake wake:
                _alarm.Rang(wake.Due);
                return new ClientInput.Tick(DateTimeOffset.Now);
            case LoopEvent.Redraw:
                _output.Redraw();
                return null;
            case LoopEvent.Key key:
                var (next, action) = KeyBindings.Apply(_line, key.Info);
                var typed = _line.Text;
                _line = next;
                if (action == KeyAction.Suspend)
                {
                    // The input row is cleared for the shell; SIGCONT (fg) redraws it. The line typed so far is kept.
                    _output.Suspend();
                    if (!JobControl.Suspend()) _output.Redraw();
                    return null;
                }
                _output.Input(Prompt(state), _line);
                return action switch
                {
                    KeyAction.Submit => new ClientInput.UserLine(typed, DateTimeOffset.Now),
                    KeyAction.EndOfInput => new ClientInput.InputEnded(DateTimeOffset.Now),
                    KeyAction.Interrupt => new ClientInput.Interrupted(DateTimeOffset.Now),
                    _ => null,
                };
            default:
                return null;
        }
    }

    private async Task Carry(ClientEffect effect)
    {
        switch (effect)
        {
            case ClientEffect.Send send:
                var encoded = CommandCodec.Encode(send.Command);
                if (encoded.Case is not string line)
                {
                    _output.Notice($"not sent: {encoded.Match(_ => "", e => e.Message)}");
                    return;
                }
                Trace(Display.Trace.Sent(send.Command, line));
                if (_connection is not { } connection) return;
                var failed = await connection.Send(line).ConfigureAwait(false);
                failed.IfSome(reason => _events.Writer.TryWrite(new LoopEvent.Closed(connection, reason, DateTimeOffset.Now)));
                return;
            case ClientEffect.CloseConnection:
                _connection?.Dispose();
                _connection = null;
                return;
            case ClientEffect.Connect:
                Trace(Display.Trace.Note($"reconnecting to {_settings.Host}:{_settings.Port}"));
                _ = Connect(again: true);
                return;
            case ClientEffect.Show show:
                _output.Show(show);
                return;
            case ClientEffect.Separator separator:
                _output.Separator(separator.Text);
                return;
            case ClientEffect.Notice notice:
                _output.Notice(notice.Text);
                return;
            default:
                TokenKeeping.Carry(_settings.TokenFile, effect, _output.Notice);
                return;
        }
    }

    /// <summary>Opens a connection; <paramref name="again"/> (a reconnect) never asks the person to trust a certificate.</summary>
    private async Task Connect(bool again = false)
    {
        var tls = again && _settings.Tls is { } first ? first with { Ask = null } : _settings.Tls;
        var opened = await ServerConnection.Open(_settings.Host, _settings.Port, _settings.ConnectTimeout, tls).ConfigureAwait(false);
        opened.Match(
            Right: connection =>
            {
                if (!_events.Writer.TryWrite(new LoopEvent.Connected(connection))) connection.Dispose();
            },
            Left: problem => Post(problem is ServerConnection.Problem.Untrusted
                ? new ClientInput.Untrusted(problem.Reason, DateTimeOffset.Now)
                : new ClientInput.ConnectFailed(problem.Reason, DateTimeOffset.Now)));
    }

    private async Task Read(ServerConnection connection)
    {
        var reason = await connection.ReadLines(line => _events.Writer.TryWrite(new LoopEvent.Line(line, DateTimeOffset.Now, connection)))
            .ConfigureAwait(false);
        _events.Writer.TryWrite(new LoopEvent.Closed(connection, reason, DateTimeOffset.Now));
    }

    /// <summary>
    /// Standard input is read on a dedicated thread (it blocks), as keys in a terminal or as lines from a script.
    /// It is a background thread, so it never keeps the process alive after the loop has decided to exit.
    /// </summary>
    private void StartInputThread()
    {
        _inputStarted = true;
        var thread = new Thread(_settings.Interactive ? ReadKeys : ReadScript)
        {
            IsBackground = true,
            Name = _settings.Interactive ? "keyboard" : "script",
        };
        thread.Start();
    }

    private void ReadKeys()
    {
        try
        {
            Console.TreatControlCAsInput = true;
            while (true) _events.Writer.TryWrite(new LoopEvent.Key(Console.ReadKey(intercept: true)));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            Post(new ClientInput.InputEnded(DateTimeOffset.Now));
        }
    }

    private void ReadScript()
    {
        try
        {
            while (_settings.Script.ReadLine() is { } line) Post(new ClientInput.UserLine(line, DateTimeOffset.Now));
        }
        catch (IOException)
        {
        }
        Post(new ClientInput.InputEnded(DateTimeOffset.Now));
    }

    private void Redraw(PosixSignalContext context) => _events.Writer.TryWrite(new LoopEvent.Redraw());

    private void Interrupted(PosixSignalContext context)
    {
        context.Cancel = true;
        Post(new ClientInput.Interrupted(DateTimeOffset.Now));
    }

    private void Post(ClientInput input) => _events.Writer.TryWrite(new LoopEvent.Input(input));

    private void Trace(string line)
    {
        if (_settings.Trace) _output.Trace(line);
    }

    private static string Prompt(ClientState state) => state.Rejoining.IsSome ? $"{state.Nick} (reconnecting…)> " : $"{state.Nick}> ";
}
