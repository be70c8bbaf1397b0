using System.Net;
using System.Net.Sockets;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// Anonymous connections that send one line over and over as fast as their sockets take it, never reading.
/// A connection the server cuts off is opened again (at most <c>maxReconnects</c> times in all), so the
/// pressure lasts as long as the flood does.
/// </summary>
public sealed class LineFlood
{
    private readonly Target _target;
    private readonly byte[] _chunk;
    private long _bytes;
    private int _reconnects;
    private int _cutOff;

    public LineFlood(Target target, string line, int chunkBytes = 64 * 1024)
    {
        _target = target;
        _chunk = Attackers.Repeat(line, chunkBytes);
    }

    public long BytesSent => Interlocked.Read(ref _bytes);
    public int Reconnects => _reconnects;
    /// <summary>Sends that failed because the server closed or reset the connection.</summary>
    public int CutOff => _cutOff;

    /// <summary>Floods from <paramref name="connections"/> connections (source by index) until <paramref name="stop"/>.</summary>
    public Task Run(int connections, Func<int, IPAddress> sourceOf, int maxReconnects, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, connections).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var client = await RawClient.Connect(_target.Endpoint, sourceOf(i), TimeSpan.FromSeconds(5));
                    while (!stop.IsCancellationRequested)
                    {
                        await client.Send(_chunk, stop);
                        Interlocked.Add(ref _bytes, _chunk.Length);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (e is SocketException or IOException)
                {
                    Interlocked.Increment(ref _cutOff);
                }
                if (Interlocked.Increment(ref _reconnects) > maxReconnects) return;
                await Task.Delay(10, CancellationToken.None);
            }
        }, CancellationToken.None)));
}
