using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// Many connections that never log in: each connects, reads what the server says (HELLO, then in time
/// <c>BYE login timeout</c>; or <c>BYE server full</c> at once) and stays until the server closes it or the
/// crowd is disposed. Counts show how many the server actually served, since a connect can complete in the
/// kernel's backlog without the server ever accepting it.
/// </summary>
public sealed class IdleCrowd : IDisposable
{
    private readonly List<Socket> _sockets = [];
    private int _connected, _connectFailed, _hello, _refused, _timedOut, _closedByServer;

    public int Connected => _connected;
    public int ConnectFailed => _connectFailed;
    public int Hello => _hello;
    /// <summary>Connections whose first line was a BYE (server full or another refusal).</summary>
    public int Refused => _refused;
    public int TimedOut => _timedOut;
    public int ClosedByServer => _closedByServer;
    public int Open => _connected - _closedByServer;

    /// <summary>Opens <paramref name="perAddress"/> connections from each of <paramref name="sources"/>, <paramref name="concurrency"/> at a time.</summary>
    public async Task Fill(IPEndPoint server, IReadOnlyList<IPAddress> sources, int perAddress, int concurrency, CancellationToken stop)
    {
        using var gate = new SemaphoreSlim(concurrency);
        var total = sources.Count * perAddress;
        await Task.WhenAll(Enumerable.Range(0, total).Select(async i =>
        {
            try
            {
                await gate.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                var client = await RawClient.Connect(server, sources[i % sources.Count], TimeSpan.FromSeconds(5), receiveBuffer: 4096);
                lock (_sockets) _sockets.Add(client.Socket);
                Interlocked.Increment(ref _connected);
                _ = Watch(client.Socket);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                Interlocked.Increment(ref _connectFailed);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private async Task Watch(Socket socket)
    {
        var buffer = new byte[256];
        var first = true;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0) break;
                var text = Encoding.ASCII.GetString(buffer, 0, read);
                if (first && text.StartsWith("HELLO", StringComparison.Ordinal)) Interlocked.Increment(ref _hello);
                if (first && text.StartsWith("BYE", StringComparison.Ordinal)) Interlocked.Increment(ref _refused);
                if (text.Contains("BYE login timeout", StringComparison.Ordinal)) Interlocked.Increment(ref _timedOut);
                first = false;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        Interlocked.Increment(ref _closedByServer);
    }

    /// <summary>Waits until the server has closed every connection, or <paramref name="limit"/> passes.</summary>
    public async Task WaitClosed(TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Open > 0 && clock.Elapsed < limit) await Task.Delay(200);
    }

    public Report Into(Report report, string prefix) => report
        .Set($"{prefix}_connected", Connected)
        .Set($"{prefix}_connect_failed", ConnectFailed)
        .Set($"{prefix}_hello", Hello)
        .Set($"{prefix}_refused", Refused)
        .Set($"{prefix}_login_timeout", TimedOut)
        .Set($"{prefix}_closed_by_server", ClosedByServer);

    public void Dispose()
    {
        lock (_sockets)
            foreach (var socket in _sockets) socket.Dispose();
    }
}
