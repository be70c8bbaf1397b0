using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace ChatRoom.Host.Tests;

/// <summary>
/// The real chatroom-host executable started as a process (as a user would), with its output captured.
/// It is always killed on dispose.
/// </summary>
public sealed partial class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process, bool readOutput = true)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        if (readOutput) process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output) return string.Join("\n", _output);
        }
    }

    public int Pid => _process.Id;
    public Process Process => _process;

    public static HostProcess Start(string dataDir, params string[] args) => StartWith(dataDir, null, null, args);

    /// <summary>Starts with <paramref name="stdin"/> written to standard input (then closed) and extra environment.</summary>
    public static HostProcess StartWith(string dataDir, string? stdin, IDictionary<string, string>? environment, params string[] args) =>
        Launch(dataDir, stdin, environment, readOutput: true, args);

    /// <summary>Starts with standard output never read: once the pipe is full, every write to it would block.</summary>
    public static HostProcess StartUnread(string dataDir, params string[] args) => Launch(dataDir, null, null, readOutput: false, args);

    /// <summary>
    /// Starts the server as the child of <paramref name="parent"/>, a copy of bash (what systemd's helpers look at
    /// is the parent's name): the process this object holds is that parent; <see cref="ChildPid"/> is the server.
    /// </summary>
    public static HostProcess StartUnder(string parent, string dataDir, IDictionary<string, string> environment, params string[] args) =>
        Launch(dataDir, null, environment, readOutput: true, args, parent);

    /// <summary>The process id of this process's only child (the server, for <see cref="StartUnder"/>).</summary>
    public int ChildPid()
    {
        var children = File.ReadAllText($"/proc/{_process.Id}/task/{_process.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return children.Length == 1 ? int.Parse(children[0]) : throw new InvalidOperationException($"{children.Length} children");
    }

    private static HostProcess Launch(string dataDir, string? stdin, IDictionary<string, string>? environment, bool readOutput, string[] args,
        string? parent = null)
    {
        var info = new ProcessStartInfo(parent ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dataDir,
        };
        if (parent is not null)
        {
            // Two commands, so that bash forks the server rather than becoming it.
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("\"$0\" \"$@\"; exit $?");
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "chatroom-host.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start chatroom-host");
        var host = new HostProcess(process, readOutput);
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        return host;
    }

    /// <summary>Waits for the "listening on" log line and returns the endpoint it names.</summary>
    public async Task<IPEndPoint> Listening(double seconds = 20)
    {
        var line = await WaitForOutput(o => ListeningLine().Match(o) is { Success: true }, "listening on ...", seconds);
        var match = ListeningLine().Match(line);
        return new IPEndPoint(IPAddress.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
    }

    /// <summary>Waits until the output matches, woken by each new line (no polling), within a deadline.</summary>
    public async Task<string> WaitForOutput(Func<string, bool> match, string what, double seconds = 20)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var exited = _process.WaitForExitAsync(deadline.Token); // completes once the output is read to its end too
        while (!deadline.IsCancellationRequested)
        {
            Task changed;
            lock (_output) changed = _changed.Task;
            if (match(Output)) return Output;
            if (exited.IsCompletedSuccessfully) break;
            await Task.WhenAny(changed, exited, Task.Delay(Timeout.Infinite, deadline.Token));
        }
        if (match(Output)) return Output;
        throw new TimeoutException($"chatroom-host printed no {what} within {seconds} s (exited: {_process.HasExited}); output:\n{Output}");
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> Exited(double seconds = 20)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"chatroom-host still running after {seconds} s; output:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>Resident memory of the process, from /proc.</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("no VmRSS");
    }

    public void Terminate() => Posix.Kill(_process.Id, Posix.SigTerm);

    private void Add(string? line)
    {
        if (line is null) return;
        TaskCompletionSource changed;
        lock (_output)
        {
            _output.Add(line);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.SetResult();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (\d+\.\d+\.\d+\.\d+):(\d+)")]
    private static partial Regex ListeningLine();
}

internal static class Posix
{
    public const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    public static extern int Kill(int pid, int signal);
}

/// <summary>A temporary folder, deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "chatroom-host-" + Guid.NewGuid().ToString("N"));

    public TempDir() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
