using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>
/// The real <c>chatroom</c> executable, run as <c>dotnet chatroom.dll</c> from the test's output folder with a
/// script on standard input. Standard output is collected line by line so a test can wait (with a deadline) for
/// a line; disposing kills the process if it is still running.
/// </summary>
public sealed class ChatProcess : IAsyncDisposable
{
    /// <summary>How long any single wait in these tests may take before it fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChatProcess(Process process) => _process = process;

    public static string ClientDll => Path.Combine(AppContext.BaseDirectory, "chatroom.dll");

    /// <summary>
    /// Starts the client. <paramref name="script"/> is written to its standard input, which is then closed
    /// (null leaves it open, for a client that must stay until the test is done). <paramref name="password"/>
    /// goes in CHATROOM_PASSWORD (null removes the variable).
    /// </summary>
    public static ChatProcess Start(IEnumerable<string> args, string? script, string? password,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ClientDll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        if (password is null) info.Environment.Remove("CHATROOM_PASSWORD");
        else info.Environment["CHATROOM_PASSWORD"] = password;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;

        var process = new Process { StartInfo = info };
        var chat = new ChatProcess(process);
        process.OutputDataReceived += (_, e) => chat.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => chat.OnStderr(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (script is not null)
        {
            process.StandardInput.Write(script.ReplaceLineEndings("\n"));
            process.StandardInput.Close();
        }
        return chat;
    }

    /// <summary>Every line printed on standard output so far.</summary>
    public IReadOnlyList<string> Stdout
    {
        get
        {
            lock (_gate) return _stdout.ToList();
        }
    }

    /// <summary>Everything printed on standard error so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_gate) return _stderr.ToString();
        }
    }

    /// <summary>Standard output parsed as JSON, one object per line (fails if any line is not JSON).</summary>
    public IReadOnlyList<JsonElement> Events => Stdout.Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    /// <summary>The JSON events of one type.</summary>
    public IReadOnlyList<JsonElement> EventsOf(string type) =>
        Events.Where(e => e.GetProperty("type").GetString() == type).ToList();

    /// <summary>Waits until the client (in --json mode) has logged in.</summary>
    public Task<string> Welcomed() => WaitForLine(line => line.Contains("\"type\":\"welcome\""), "welcome event");

    /// <summary>The message events (in --json mode) as (seq, from, text).</summary>
    public IReadOnlyList<(long Seq, string From, string Text)> Messages() =>
        EventsOf("message")
            .Select(m => (m.GetProperty("seq").GetInt64(), m.GetProperty("from").GetString()!, m.GetProperty("text").GetString()!))
            .ToList();

    /// <summary>Waits until standard output has a line that satisfies <paramref name="match"/>.</summary>
    public async Task<string> WaitForLine(Func<string, bool> match, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_stdout.FirstOrDefault(match) is { } hit) return hit;
                if (_stdoutClosed.Task.IsCompleted) throw Failure($"the client's output ended without {what}");
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw Failure($"no {what} within {Deadline.TotalSeconds} s");
            }
        }
    }

    /// <summary>Waits until standard error has a line that satisfies <paramref name="match"/>.</summary>
    public async Task WaitForStderr(Func<string, bool> match, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_stderr.ToString().Split('\n').Any(line => match(line.TrimEnd('\r')))) return;
                if (_stderrClosed.Task.IsCompleted) throw Failure($"the client's standard error ended without {what}");
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw Failure($"no {what} within {Deadline.TotalSeconds} s");
            }
        }
    }

    /// <summary>Waits (with a deadline) for the process to exit and for its output to be read; returns its exit code.</summary>
    public async Task<int> Exit()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw Failure($"the client did not exit within {Deadline.TotalSeconds} s");
        }
        return _process.ExitCode;
    }

    /// <summary>Sends a signal (SIGINT, SIGTERM) to the client, as Ctrl+C or a service manager would.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        kill.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private Exception Failure(string what) =>
        new TimeoutException($"{what}\n--- stdout ---\n{string.Join('\n', Stdout)}\n--- stderr ---\n{Stderr}");

    private void OnStdout(string? line)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (line is null) _stdoutClosed.TrySetResult();
            else _stdout.Add(line);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private void OnStderr(string? line)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (line is null) _stderrClosed.TrySetResult();
            else _stderr.AppendLine(line);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}
