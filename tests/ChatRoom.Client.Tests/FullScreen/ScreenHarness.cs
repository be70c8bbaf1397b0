using System.Diagnostics;
using ChatRoom.Client.FullScreen;
using ChatRoom.Client.Tests.EndToEnd;
using Terminal.Gui.App;
using Terminal.Gui.Drawing;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;

namespace ChatRoom.Client.Tests.FullScreen;

/// <summary>
/// The full-screen client, headless: a Terminal.Gui application on its ANSI driver (which draws into its buffer
/// only, standard output not being a terminal), run on a thread of its own as the program runs it, with keys
/// injected through Terminal.Gui's input injector and the screen read back from the driver's buffer. Everything
/// touches the application on its UI thread (through Invoke), as the network does.
/// </summary>
internal sealed class ScreenHarness : IDisposable
{
    private readonly Thread _ui;
    private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IApplication? _app;
    private ChatWindow? _window;
    private FullScreenShell? _shell;
    private int _bells;

    private ScreenHarness(FullScreenSettings settings, int columns, int rows)
    {
        _ui = new Thread(() =>
        {
            try
            {
                using var app = Application.Create();
                app.Init(DriverRegistry.Names.ANSI);
                app.Driver!.SetScreenSize(columns, rows);
                using var window = new ChatWindow();
                _app = app;
                _window = window;
                _shell = new FullScreenShell(app, window, settings, () => Interlocked.Increment(ref _bells));
                app.Iteration += (_, _) => _running.TrySetResult();
                app.Run(window);
                _ended.TrySetResult(_shell.ExitCode);
            }
            catch (Exception e)
            {
                _running.TrySetException(e);
                _ended.TrySetException(e);
            }
        })
        { IsBackground = true, Name = "full-screen test" };
    }

    /// <summary>Starts the full-screen client with the login area filled in from <paramref name="settings"/>, and waits until it runs.</summary>
    public static async Task<ScreenHarness> Start(FullScreenSettings settings, int columns = 100, int rows = 30)
    {
        var harness = new ScreenHarness(settings, columns, rows);
        harness._ui.Start();
        await harness._running.Task.WaitAsync(ChatProcess.Deadline);
        return harness;
    }

    /// <summary>A login area for the test room's <paramref name="nick"/>, with its password when <paramref name="password"/> is null.</summary>
    public static FullScreenSettings For(TestRoom room, string nick, string? password = null, bool bell = true) =>
        new("127.0.0.1", room.Port, nick, password ?? TestRoom.Passwords[nick], bell, Trace: false);

    public int Bells => Volatile.Read(ref _bells);

    /// <summary>Runs <paramref name="read"/> on the UI thread and returns what it read.</summary>
    public Task<T> OnUi<T>(Func<ChatWindow, FullScreenShell, T> read)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _app!.Invoke(() =>
        {
            try
            {
                result.SetResult(read(_window!, _shell!));
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        });
        return result.Task.WaitAsync(ChatProcess.Deadline);
    }

    public Task OnUi(Action<ChatWindow, FullScreenShell> act) => OnUi((w, s) =>
    {
        act(w, s);
        return 0;
    });

    /// <summary>Presses keys, in order, as the terminal would deliver them.</summary>
    public Task Press(params Key[] keys) => OnUi((_, _) =>
    {
        var injector = _app!.GetInputInjector();
        foreach (var key in keys) injector.InjectKey(key, new InputInjectionOptions { Mode = InputInjectionMode.Direct });
    });

    /// <summary>Turns the mouse wheel over the given screen cell.</summary>
    public Task Wheel(MouseFlags flags, int column, int row) => OnUi((_, _) =>
        _app!.GetInputInjector().InjectMouse(new Mouse { ScreenPosition = new System.Drawing.Point(column, row), Flags = flags },
            new InputInjectionOptions { Mode = InputInjectionMode.Direct }));

    /// <summary>Types text, one key per character.</summary>
    public Task Type(string text) => Press(text.Select(c => new Key(c)).ToArray());

    /// <summary>The screen as drawn now, one string per row, trailing spaces removed.</summary>
    public Task<IReadOnlyList<string>> Screen() => OnUi<IReadOnlyList<string>>((_, _) =>
    {
        _app!.LayoutAndDraw(true);
        return _app.Driver!.ToString()!.Split('\n').Select(row => row.TrimEnd('\r').TrimEnd()).ToList();
    });

    /// <summary>The colour the screen shows the first character of <paramref name="text"/> in, on the first row that has it.</summary>
    public Task<Color?> ForegroundOf(string text) => OnUi<Color?>((_, _) =>
    {
        _app!.LayoutAndDraw(true);
        var rows = _app.Driver!.ToString()!.Split('\n');
        var contents = _app.Driver.Contents!;
        for (var row = 0; row < rows.Length && row < contents.GetLength(0); row++)
        {
            var at = rows[row].IndexOf(text, StringComparison.Ordinal);
            if (at < 0) continue;
            // The row's text and its cells line up while the row has only narrow characters before the match.
            return contents[row, at].Attribute?.Foreground;
        }
        return null;
    });

    /// <summary>Waits, up to the tests' deadline, until the screen satisfies <paramref name="condition"/>; returns it.</summary>
    public async Task<IReadOnlyList<string>> WaitFor(Func<IReadOnlyList<string>, bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var screen = await Screen();
            if (condition(screen)) return screen;
            if (deadline.Elapsed > ChatProcess.Deadline)
                throw new TimeoutException($"the screen never showed {what}:\n{string.Join('\n', screen)}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until some row contains <paramref name="text"/>.</summary>
    public Task<IReadOnlyList<string>> WaitForText(string text) => WaitFor(s => s.Any(row => row.Contains(text, StringComparison.Ordinal)), $"'{text}'");

    /// <summary>Waits for the program to end, and returns its exit code.</summary>
    public Task<int> Ended() => _ended.Task.WaitAsync(ChatProcess.Deadline);

    public void Dispose()
    {
        if (!_ended.Task.IsCompleted && _app is { } app)
        {
            app.Invoke(() => app.RequestStop());
            _ended.Task.Wait(ChatProcess.Deadline);
        }
    }
}
