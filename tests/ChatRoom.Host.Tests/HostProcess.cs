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

    private HostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
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
    public static HostProcess StartWith(string dataDir, string? stdin, IDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dataDir,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "chatroom-host.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start chatroom-host");
        var host = new HostProcess(process);
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

    public async Task<string> WaitForOutput(Func<string, bool> match, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (match(Output)) return Output;
            if (_process.HasExited) break;
            await Task.Delay(25);
        }
        await Task.Delay(100);
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
        lock (_output) _output.Add(line);
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
