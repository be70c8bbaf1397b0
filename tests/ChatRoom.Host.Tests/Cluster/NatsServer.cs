using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatRoom.Host.Tests.Cluster;

/// <summary>
/// A real <c>nats-server -js</c> on a free loopback port with its store in a temporary folder, for the cluster
/// tests. It is stopped by its process id (on dispose, or <see cref="Stop"/> to take NATS away for a while) and
/// can be started again on the same port and store (<see cref="Start"/>). A missing nats-server fails the test
/// with what to install: the tests never skip.
/// </summary>
public sealed class NatsServer : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("chatroom-nats-").FullName;
    private readonly List<string> _output = [];
    private Process? _process;

    private NatsServer(int port) => Port = port;

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public string Output
    {
        get
        {
            lock (_output) return string.Join("\n", _output);
        }
    }

    /// <summary>Starts a new server on a free port and waits until it is ready.</summary>
    public static NatsServer StartNew()
    {
        var server = new NatsServer(FreePort());
        server.Start();
        return server;
    }

    /// <summary>Starts the server (again) on its port and store and waits until it accepts connections.</summary>
    public void Start()
    {
        if (_process is { HasExited: false }) return;
        var info = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-js", "-a", "127.0.0.1", "-p", Port.ToString(), "-sd", _store }) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("nats-server did not start");
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"nats-server exited with {process.ExitCode}:\n{Output}");
            if (Output.Contains("Server is ready") && Accepts()) return;
            Thread.Sleep(20); // polling a readiness condition under a deadline
        }
        throw new TimeoutException($"nats-server on port {Port} was not ready within 15 s:\n{Output}");
    }

    /// <summary>Kills the server by its process id (its store stays) and waits until it has exited.</summary>
    public void Stop()
    {
        if (_process is not { } process) return;
        try
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
        _process = null;
    }

    /// <summary>Every file of the server's store, concatenated (to show what it holds, or does not).</summary>
    public string StoreFiles()
    {
        var all = Path.Combine(_store, "all.txt");
        File.WriteAllText(all, string.Concat(Directory.EnumerateFiles(_store, "*", SearchOption.AllDirectories)
            .Where(f => f != all).Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f)))));
        return all;
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_store, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
    }

    private static string Executable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin"))
        {
            var path = Path.Combine(dir, "nats-server");
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException(
            "nats-server is not installed: the cluster tests start a real one. Run the README's test command (bash tests/run), " +
            "which installs it, or apt-get install -y nats-server.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
