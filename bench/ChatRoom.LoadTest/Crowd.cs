using System.Diagnostics;
using System.Net;

namespace ChatRoom.LoadTest;

/// <summary>Where and how to connect: the target, its protocol, its process (for CPU and memory), the accounts.</summary>
public sealed record Target(Wire Wire, IPEndPoint Endpoint, int? ServerPid, string Prefix, string Password, TimeSpan Timeout)
{
    /// <summary>Connect with TLS (the server's TLS port).</summary>
    public bool Tls { get; init; }

    /// <summary>Every this many clients (by number; 0: none) keeps the list of who is in the room it was told (<see cref="RoomView"/>).</summary>
    public int ViewEvery { get; init; }

    /// <summary>
    /// Several hosts serving one room (--ports): a crowd's clients are spread over them round-robin by their
    /// number. Empty: every client connects to <see cref="Endpoint"/>.
    /// </summary>
    public IReadOnlyList<IPEndPoint> Endpoints { get; init; } = [];

    /// <summary>Every server process whose CPU time a run counts (--pids), <see cref="ServerPid"/> among them.</summary>
    public IReadOnlyList<int> ServerPids { get; init; } = [];

    /// <summary>A process measured beside the servers and reported apart (--nats-pid: the NATS server of a cluster).</summary>
    public int? NatsPid { get; init; }

    /// <summary>Where client number <paramref name="n"/> connects.</summary>
    public IPEndPoint EndpointOf(int n) => Endpoints.Count == 0 ? Endpoint : Endpoints[n % Endpoints.Count];
}

/// <summary>A group of logged-in clients, and the helpers every scenario shares.</summary>
public sealed class Crowd : IAsyncDisposable
{
    private Crowd(List<LoadClient> clients, int failures, TimeSpan openTime)
    {
        Clients = clients;
        Failures = failures;
        OpenTime = openTime;
    }

    public List<LoadClient> Clients { get; }
    public int Failures { get; }
    public TimeSpan OpenTime { get; }

    /// <summary>
    /// Connects and logs in <paramref name="count"/> users (nicks prefix+first .. prefix+first+count-1), at most
    /// <paramref name="concurrency"/> handshakes at a time. Failures are counted, not thrown. <paramref name="sourceOf"/>
    /// picks each client's source address by its position (the server admits 64 connections per address).
    /// </summary>
    public static async Task<Crowd> Open(Target target, int first, int count, int bufferBytes, int concurrency, TextWriter log,
        Func<int, IPAddress>? sourceOf = null)
    {
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(concurrency);
        using var deadline = new CancellationTokenSource(target.Timeout);
        var failures = 0;
        var reported = 0;
        var clients = new LoadClient?[count];
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync(deadline.Token).ConfigureAwait(false);
            try
            {
                var nick = target.Prefix + (first + i);
                var client = await LoadClient.Connect(target.EndpointOf(first + i), target.Wire, first + i, nick, bufferBytes, deadline.Token, sourceOf?.Invoke(i), target.Tls);
                if (target.ViewEvery > 0 && (first + i) % target.ViewEvery == 0) client.View = new RoomView();
                clients[i] = client;
                await client.Login(target.Wire.Login(nick, target.Password));
                await client.LoggedIn.WaitAsync(deadline.Token);
            }
            catch (Exception e)
            {
                if (clients[i] is { } failed) await failed.DisposeAsync();
                clients[i] = null;
                if (Interlocked.Increment(ref failures) <= 3) log.WriteLine($"  login failed: {e.Message}");
            }
            finally
            {
                gate.Release();
                var done = Interlocked.Increment(ref reported);
                if (count >= 2000 && done % 2000 == 0) log.WriteLine($"  {done}/{count} handshakes done ({clock.Elapsed.TotalSeconds:0.0} s)");
            }
        });
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException)
        {
        }
        var opened = clients.Where(c => c is not null).Select(c => c!).ToList();
        return new Crowd(opened, count - opened.Count, clock.Elapsed);
    }

    /// <summary>Waits until no client has received a byte for <paramref name="quiet"/> (bounded by <paramref name="limit"/>).</summary>
    public async Task Settle(TimeSpan quiet, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        long last = -1;
        var stillFor = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var now = Clients.Sum(c => c.BytesReceived);
            if (now != last)
            {
                last = now;
                stillFor.Restart();
            }
            else if (stillFor.Elapsed >= quiet)
            {
                return;
            }
            await Task.Delay(50);
        }
    }

    public long Deliveries => Clients.Sum(c => c.Deliveries);
    public int Dropped => Clients.Count(c => c.Dropped);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Clients) await client.Quit();
        await Task.Delay(100);
        foreach (var client in Clients) await client.DisposeAsync();
    }
}
