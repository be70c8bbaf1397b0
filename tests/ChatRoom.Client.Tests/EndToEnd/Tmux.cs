using System.Diagnostics;
using System.Globalization;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>
/// One command running in a detached tmux session on a private tmux server, so the test can type into a real
/// pseudo-terminal (send-keys) and read the screen (capture-pane) as a person would see it.
/// </summary>
public sealed class Tmux : IDisposable
{
    private const string Target = "chat";
    private readonly string _socket = "chatroom-test-" + Guid.NewGuid().ToString("N")[..12];

    public static readonly string? Path = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => System.IO.Path.Combine(dir, "tmux"))
        .FirstOrDefault(File.Exists);

    private Tmux()
    {
    }

    /// <summary>Starts <paramref name="command"/> (run by sh) in a terminal of the given size.</summary>
    public static Tmux Start(string command, int columns, int rows)
    {
        var tmux = new Tmux();
        tmux.Run("-u", "new-session", "-d", "-s", Target,
            "-x", columns.ToString(CultureInfo.InvariantCulture), "-y", rows.ToString(CultureInfo.InvariantCulture), command);
        return tmux;
    }

    /// <summary>Types text literally (no key names), as a person would.</summary>
    public void Type(string text) => Run("send-keys", "-t", Target, "-l", text);

    /// <summary>Presses named keys: Enter, C-c, C-d, Left...</summary>
    public void Press(params string[] keys) => Run(["send-keys", "-t", Target, .. keys]);

    /// <summary>Resizes the terminal, as a person dragging the window's edge would (the program gets SIGWINCH).</summary>
    public void Resize(int columns, int rows) =>
        Run("resize-window", "-t", Target, "-x", columns.ToString(CultureInfo.InvariantCulture), "-y", rows.ToString(CultureInfo.InvariantCulture));

    /// <summary>The screen as text, one string per row, trailing spaces removed.</summary>
    public IReadOnlyList<string> Screen() =>
        Run("capture-pane", "-p", "-t", Target).Split('\n').Select(row => row.TrimEnd()).ToList();

    /// <summary>The column of the cursor.</summary>
    public int CursorColumn() => int.Parse(Run("display-message", "-p", "-t", Target, "#{cursor_x}").Trim(), CultureInfo.InvariantCulture);

    /// <summary>The last row that is not empty.</summary>
    public static string LastRow(IReadOnlyList<string> screen) => screen.LastOrDefault(row => row.Length > 0) ?? "";

    /// <summary>Waits, up to the tests' deadline, until the screen satisfies <paramref name="condition"/>; returns it.</summary>
    public async Task<IReadOnlyList<string>> WaitFor(Func<IReadOnlyList<string>, bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var screen = Screen();
            if (condition(screen)) return screen;
            if (deadline.Elapsed > ChatProcess.Deadline)
                throw new TimeoutException($"the screen never showed {what}:\n{string.Join('\n', screen)}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        try
        {
            // kill-server leaves the socket file behind; remove it too.
            var socket = Run("display-message", "-p", "#{socket_path}").Trim();
            Run("kill-server");
            if (socket.Length > 0) File.Delete(socket);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
        }
    }

    private string Run(params string[] args)
    {
        var info = new ProcessStartInfo(Path ?? "tmux")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(_socket);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["LANG"] = "C.UTF-8";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} did not finish");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed: {error.Result}");
        return output.Result;
    }
}
