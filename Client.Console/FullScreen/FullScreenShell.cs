using ChatRoom.Core.Client;
using ChatRoom.Client.Shell;
using ChatRoom.Core.Protocol;
using Terminal.Gui.App;
using Terminal.Gui.Input;

namespace ChatRoom.Client.FullScreen;

/// <summary>How the full-screen client was asked for: what the login area starts with, TLS, and the bell.</summary>
internal sealed record FullScreenSettings(string Host, int Port, string Nick, string Password, bool Bell, bool Trace)
{
    /// <summary>How to connect with TLS; null for plain TCP. There is no terminal to ask on, so an unknown certificate is refused unless --trust-new.</summary>
    public TlsSettings? Tls { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Keep a login token after a password login (<c>--remember</c>, <c>--token-file</c>), and come back with it.</summary>
    public bool Remember { get; init; }

    /// <summary>With <see cref="Remember"/>: the file given by <c>--token-file</c>; null keeps one per server and nickname.</summary>
    public string? TokenPath { get; init; }

    public override string ToString() => $"FullScreenSettings {{ {Host}:{Port}, {Nick}, ***, Bell = {Bell}, Tls = {Tls is not null}, Remember = {Remember} }}";
}

/// <summary>
/// The imperative shell of the full-screen mode, the counterpart of <see cref="ClientRunner"/>: it owns one
/// <see cref="ClientState"/> per login attempt, feeds <see cref="ClientSession.Step"/> with what the network, the
/// keyboard and the clock (<see cref="Alarm"/>) bring, and carries out its effects on the <see cref="ChatWindow"/>. Everything runs on
/// the UI thread: other threads only post to it (<see cref="IApplication.Invoke(Action)"/>), tagged with the
/// login attempt and the connection they belong to, so a late line from a closed connection changes nothing. A
/// dropped connection is the reducer's to retry (<see cref="ClientState.Reconnects"/>): the shell opens the new one
/// when told (<see cref="ClientEffect.Connect"/>), and the compose box keeps what was being typed.
/// What the shell decides itself is only what the reducer cannot see: the login area's check before there is a
/// session, "log in first" when there is none, and the view's own models.
/// </summary>
internal sealed class FullScreenShell
{
    public const string LogInFirst = "log in first: fill in the login above and press Join";

    private readonly IApplication _app;
    private readonly ChatWindow _window;
    private readonly FullScreenSettings _settings;
    private readonly Action _ring;
    private ClientState? _state;
    private ServerConnection? _connection;
    private Task _sending = Task.CompletedTask;
    private int _attempt;
    private Alarm? _alarm;
    private UserList _users = UserList.Empty;
    private InputHistory _history = InputHistory.Empty;
    private NickCompletion.Cycle? _cycle;
    private Connection _status = new Connection.Offline("");
    private LoginRequest? _login;
    private TokenFile? _store;
    private TaskCompletionSource<bool>? _trusting;

    public FullScreenShell(IApplication app, ChatWindow window, FullScreenSettings settings, Action ring)
    {
        _app = app;
        _window = window;
        _settings = settings;
        _ring = ring;
        window.Server.Text = $"{settings.Host}:{settings.Port}";
        window.Nick.Text = settings.Nick;
        window.Password.Text = settings.Password;
        window.Join.Accepting += (_, e) =>
        {
            e.Handled = true;
            Join();
        };
        foreach (var field in new[] { window.Server, window.Nick, window.Password })
            field.Accepting += (_, e) =>
            {
                e.Handled = true;
                Join();
            };
        window.Compose.Accepting += (_, e) =>
        {
            e.Handled = true;
            Submit();
        };
        window.Compose.KeyDown += (_, key) => key.Handled = ComposeKey(key);
        window.Refusal.Ok.Accepting += (_, e) =>
        {
            e.Handled = true;
            CloseRefusal();
        };
        window.Trust.Accept.Accepting += (_, e) =>
        {
            e.Handled = true;
            Trusted(true);
        };
        window.Trust.Refuse.Accepting += (_, e) =>
        {
            e.Handled = true;
            Trusted(false);
        };
        app.Keyboard.KeyDown += (_, key) =>
        {
            if (key == Key.Q.WithCtrl || key == Key.C.WithCtrl)
            {
                key.Handled = true;
                Quit();
            }
            else if (key == Key.Esc)
            {
                // Esc is Terminal.Gui's quit key, which would end the program without a word to the server.
                key.Handled = true;
                if (window.Refusal.Visible) CloseRefusal();
                if (window.Trust.Visible) Trusted(false);
            }
        };
        ShowStatus();
    }

    /// <summary>The exit code of the last session (0 when none ended badly, or the user left).</summary>
    public int ExitCode { get; private set; }

    /// <summary>True while a session is in progress (connecting, logging in, in the room, leaving).</summary>
    public bool InSession => _state is { Phase: not ClientPhase.Closed };

    /// <summary>
    /// Join, or Enter in a login field: checks the fields, then connects with a new session. With <c>--remember</c>
    /// the password may be left empty when a login token is kept for this nickname on this server.
    /// </summary>
    public void Join()
    {
        if (InSession) return;
        var checkedLogin = LoginForm.Check(_window.Server.Text, _window.Nick.Text, _window.Password.Text, _settings.Port,
            passwordOptional: _settings.Remember);
        if (checkedLogin.Case is not LoginRequest login)
        {
            _window.LoginHint.Text = checkedLogin.Match(_ => "", e => e.Message);
            (_window.Server.Text.Trim().Length == 0 ? _window.Server
                : _window.Nick.Text.Trim().Length == 0 ? _window.Nick : _window.Password).SetFocus();
            return;
        }
        var store = !_settings.Remember ? null
            : _settings.TokenPath is { } path ? new TokenFile(path)
            : TokenFile.Remembered(login.Host, login.Port, login.Nick);
        var token = store?.Read(DateTimeOffset.UtcNow) ?? None;
        if (login.Password.Length == 0 && token.IsNone)
        {
            _window.LoginHint.Text = $"the password is missing: no login token is kept for {login.Nick} on {login.Endpoint}";
            _window.Password.SetFocus();
            return;
        }
        Start(login, store, token, store?.ReadLastSeen() ?? 0);
    }

    private void Start(LoginRequest login, TokenFile? store, Option<Secret> token, long lastSeen)
    {
        _window.LoginHint.Text = "";
        _window.LoginEnabled(false);
        _window.Compose.SetFocus();
        var attempt = ++_attempt;
        _login = login;
        _store = store;
        _state = ClientState.Initial(login.Endpoint, login.Nick, login.Password, scripted: false) with
        {
            Token = token,
            Remember = store is not null,
            LastSeen = lastSeen,
            Reconnects = true,
            MeasuresLag = true,
            Seed = (ulong)Random.Shared.NextInt64(),
        };
        // One alarm per attempt: a wake-up armed for an earlier attempt is dropped with it (Post), and must not hold this one's back.
        _alarm = new Alarm(due => Post(attempt, () =>
        {
            _alarm?.Rang(due);
            Step(new ClientInput.Tick(DateTimeOffset.Now));
        }));
        _status = new Connection.Online(ClientPhase.Connecting, login.Endpoint, login.Nick, _settings.Tls is not null, null);
        Trace($"connecting to {login.Endpoint}" + (_settings.Tls is null ? "" : " (TLS)"));
        ShowStatus();
        _ = Connect(login, attempt, again: false);
    }

    /// <summary>Enter in the compose box: the line goes to the reducer, or "log in first" when there is no session.</summary>
    public void Submit()
    {
        var text = _window.Compose.Text;
        if (text.Length == 0) return;
        _window.Compose.Text = "";
        _history = _history.Add(text);
        _cycle = null;
        if (!InSession)
        {
            _window.Transcript.Add(new TranscriptLine($"! {LogInFirst}", LineKind.Error));
            return;
        }
        Step(new ClientInput.UserLine(text, DateTimeOffset.Now));
    }

    /// <summary>Ctrl+Q or Ctrl+C: leaves the room if in it (QUIT, then BYE ends the run), else ends the program.</summary>
    public void Quit()
    {
        if (InSession) Step(new ClientInput.Interrupted(DateTimeOffset.Now));
        else _app.RequestStop();
    }

    private bool ComposeKey(Key key)
    {
        if (key == Key.CursorUp)
        {
            _history.Older(_window.Compose.Text).IfSome(r => Recall(r.History, r.Text));
            return true;
        }
        if (key == Key.CursorDown)
        {
            _history.Newer().IfSome(r => Recall(r.History, r.Text));
            return true;
        }
        if (key == Key.Tab)
        {
            var me = _state?.Nick ?? "";
            NickCompletion.Tab(_window.Compose.Text, _window.Compose.InsertionPoint, _users.Nicks.ToSeq(), me, _cycle)
                .Match(
                    Some: r =>
                    {
                        _cycle = r.Cycle;
                        _window.Compose.Text = r.Text;
                        _window.Compose.InsertionPoint = r.Cursor;
                    },
                    None: () => _cycle = null);
            return true;
        }
        if (key == Key.PageUp || key == Key.PageDown)
        {
            _window.Transcript.Scroll(key == Key.PageUp ? _window.Transcript.Page : -_window.Transcript.Page);
            return true;
        }
        if (key != Key.Tab.WithShift) _cycle = null;
        return false;
    }

    private void Recall(InputHistory history, string text)
    {
        _history = history;
        _window.Compose.Text = text;
        _window.Compose.InsertionPoint = text.Length;
    }

    /// <summary>Opens a connection for the attempt; a reconnect (<paramref name="again"/>) never asks to trust a certificate.</summary>
    private async Task Connect(LoginRequest login, int attempt, bool again)
    {
        var tls = _settings.Tls is not { } given ? null
            : again || given.TrustNew ? given with { Ask = null }
            : given with { Ask = (endpoint, fingerprint, file) => AskToTrust(attempt, endpoint, fingerprint, file) };
        var opened = await ServerConnection.Open(login.Host, login.Port, _settings.ConnectTimeout, tls).ConfigureAwait(false);
        opened.Match(
            Right: connection => Post(attempt, () => Connected(connection, attempt), connection.Dispose),
            Left: problem => Post(attempt, () => Step(problem is ServerConnection.Problem.Untrusted
                ? new ClientInput.Untrusted(problem.Reason, DateTimeOffset.Now)
                : new ClientInput.ConnectFailed(problem.Reason, DateTimeOffset.Now))));
    }

    /// <summary>
    /// Trust on first use: the question goes up over the window and the connection waits for the answer (the
    /// network and the keyboard are still served meanwhile). An attempt given up meanwhile answers no.
    /// </summary>
    private Task<bool> AskToTrust(int attempt, string endpoint, string fingerprint, string file)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(attempt, () =>
        {
            _trusting?.TrySetResult(false);
            _trusting = answer;
            _window.Trust.Open($"The server {endpoint} presented a certificate that nothing vouches for and that you have not trusted before:\n\n" +
                               $"{fingerprint}\n\n" +
                               "Compare it with the fingerprint the server printed when it started (its log says \"certificate SHA256:...\").\n\n" +
                               $"Trust it, and remember it in {file}?");
        }, () => answer.TrySetResult(false));
        return answer.Task;
    }

    private void Trusted(bool trust)
    {
        _window.Trust.Close();
        _trusting?.TrySetResult(trust);
        _trusting = null;
        _window.Compose.SetFocus();
    }

    private void Connected(ServerConnection connection, int attempt)
    {
        _connection?.Dispose();
        _connection = connection;
        _sending = Task.CompletedTask;
        if (_status is Connection.Online online) _status = online with { Fingerprint = connection.CertificateFingerprint };
        Trace($"connected to {_state?.Endpoint}");
        ShowStatus();
        _ = Read(connection, attempt);
    }

    private async Task Read(ServerConnection connection, int attempt)
    {
        var reason = await connection.ReadLines(line =>
        {
            var at = DateTimeOffset.Now;
            PostFrom(connection, attempt, () =>
            {
                line.IfSucc(text => Trace($"< {text}"));
                Step(new ClientInput.ServerLine(line.Bind(text => EventCodec.Decode(text, _state!.Protocol)), at));
            });
        }).ConfigureAwait(false);
        PostFrom(connection, attempt, () => Step(new ClientInput.Disconnected(reason, DateTimeOffset.Now)));
    }

    /// <summary>Runs <paramref name="action"/> on the UI thread if the attempt is still the current one; else <paramref name="stale"/>.</summary>
    private void Post(int attempt, Action action, Action? stale = null) =>
        _app.Invoke(() =>
        {
            if (attempt == _attempt && InSession) action();
            else stale?.Invoke();
        });

    /// <summary>Like <see cref="Post"/>, for what a connection brings: nothing once the reducer has closed it for a new one.</summary>
    private void PostFrom(ServerConnection connection, int attempt, Action action) =>
        Post(attempt, () =>
        {
            if (connection == _connection) action();
        });

    private void Step(ClientInput input)
    {
        if (_state is null) return;
        var outcome = ClientSession.Step(_state, input);
        if (outcome.State.Phase != _state.Phase) Trace(Display.Trace.Changed(_state.Phase, outcome.State.Phase));
        _state = outcome.State;
        _alarm?.Follow(_state);
        if (_status is Connection.Online online)
            _status = online with { Phase = _state.Phase, Nick = _state.Nick, Rejoining = _state.Rejoining, Lag = _state.Lag };
        foreach (var effect in outcome.Effects) Carry(effect);
        ShowStatus();
    }

    private void Carry(ClientEffect effect)
    {
        switch (effect)
        {
            case ClientEffect.Send send:
                var encoded = CommandCodec.Encode(send.Command);
                if (encoded.Case is not string line)
                {
                    Notice($"not sent: {encoded.Match(_ => "", e => e.Message)}");
                    return;
                }
                Trace(Display.Trace.Sent(send.Command, line));
                if (_connection is { } connection) _sending = Send(connection, line, _attempt, _sending);
                return;
            case ClientEffect.CloseConnection:
                _connection?.Dispose();
                _connection = null;
                return;
            case ClientEffect.Connect when _login is { } login:
                Trace($"reconnecting to {login.Endpoint}");
                _ = Connect(login, _attempt, again: true);
                return;
            case ClientEffect.Show show:
                Show(show);
                return;
            case ClientEffect.Separator separator:
                _window.Transcript.Add(new TranscriptLine(separator.Text, LineKind.Separator));
                return;
            case ClientEffect.Notice notice:
                Notice(notice.Text);
                return;
            case ClientEffect.Exit exit:
                Ended(exit.Code, exit.Message);
                return;
            case ClientEffect.FallBack fallBack:
                FellBack(fallBack.Reason);
                return;
            default:
                TokenKeeping.Carry(_store, effect, Notice);
                return;
        }
    }

    private void Show(ClientEffect.Show show)
    {
        TranscriptLine.Of(show.Event, show.Me, show.At, show.History).IfSome(_window.Transcript.Add);
        if (show.History) return;
        var users = _users.Apply(show.Event);
        if (!ReferenceEquals(users, _users))
        {
            _users = users;
            _window.Users.Show(users, show.Me);
        }
        if (Highlight.Rings(Highlight.Of(show.Event, show.Me), show.History, _settings.Bell)) _ring();
    }

    /// <summary>
    /// The session ended. Leaving on purpose ends the program; a refused login opens the dialog and gives the
    /// login area back, to correct and Join again on a new connection; a lost connection says why and gives it
    /// back too.
    /// </summary>
    private void Ended(int code, string message)
    {
        ExitCode = code;
        Closed();
        _users = UserList.Empty;
        _window.Users.Show(_users, "");
        var endpoint = _state?.Endpoint ?? "";
        _status = new Connection.Offline(message.Length == 0 ? "" : message);
        if (code == ExitCodes.Ok)
        {
            _app.RequestStop();
            return;
        }
        _window.LoginEnabled(true);
        if (code == ExitCodes.LoginRefused)
        {
            _window.Password.Text = "";
            _window.Transcript.Add(new TranscriptLine($"! {message}", LineKind.Error));
            _window.Refusal.Open($"{endpoint} said: {message}. Correct the login and press Join again.");
            return;
        }
        _window.Transcript.Add(new TranscriptLine($"! {message}", LineKind.Error));
        _window.Join.SetFocus();
    }

    /// <summary>
    /// The stored token was refused (and deleted): the password typed in the login area takes over at once, on a
    /// new connection, as the line mode asks for it; with none typed, the login area asks for it.
    /// </summary>
    private void FellBack(string reason)
    {
        Notice(reason);
        Closed();
        if (_login is { Password.Length: > 0 } login)
        {
            Start(login, _store, None, _state?.LastSeen ?? 0);
            return;
        }
        _status = new Connection.Offline("the stored login token was refused");
        _window.LoginEnabled(true);
        _window.LoginHint.Text = "the stored login token was refused: type the password and press Join";
        _window.Password.SetFocus();
    }

    /// <summary>The session's connection and what hangs on it go; a question still open is answered no.</summary>
    private void Closed()
    {
        _connection?.Dispose();
        _connection = null;
        if (_window.Trust.Visible) _window.Trust.Close();
        _trusting?.TrySetResult(false);
        _trusting = null;
    }

    private void CloseRefusal()
    {
        _window.Refusal.Close();
        _window.Password.SetFocus();
    }

    private async Task Send(ServerConnection connection, string line, int attempt, Task before)
    {
        await before.ConfigureAwait(false);
        var failed = await connection.Send(line).ConfigureAwait(false);
        failed.IfSome(reason => PostFrom(connection, attempt, () => Step(new ClientInput.Disconnected(reason, DateTimeOffset.Now))));
    }

    private void Notice(string text) => _window.Transcript.Add(new TranscriptLine(text, LineKind.Notice));

    private void Trace(string text)
    {
        if (_settings.Trace) Notice(text);
    }

    private void ShowStatus() => _window.Status.Text = StatusText.Of(_status, _settings.Bell);
}
