using System.Diagnostics;

namespace ChatRoom.LoadTest;

/// <summary>Sends chat lines for a crowd: as fast as possible, or at a fixed rate per client.</summary>
public static class Pacer
{
    public const string Padding = "the quick brown fox jumps over the lazy dog";
    private const int BatchLines = 16;

    /// <summary>Every client sends <paramref name="messages"/> lines as fast as its socket takes them.</summary>
    public static Task MaxRate(Wire wire, IReadOnlyList<LoadClient> clients, int messages) =>
        Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            var batch = new List<byte>(BatchLines * 96);
            for (var i = 0; i < messages; i++)
            {
                batch.AddRange(wire.Say(client.Index, Stopwatch.GetTimestamp(), Padding));
                if (batch.Count >= BatchLines * 64 || i == messages - 1)
                {
                    if (client.Closed) return;
                    try
                    {
                        await client.Send(batch.ToArray());
                    }
                    catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
                    {
                        return;
                    }
                    batch.Clear();
                }
            }
        })));

    /// <summary>
    /// Every client sends <paramref name="perSecond"/> lines a second, for <paramref name="messages"/> lines or
    /// until <paramref name="stop"/>, with start times spread over one interval so the load is even.
    /// </summary>
    public static async Task<long> Paced(Wire wire, IReadOnlyList<LoadClient> clients, double perSecond, int messages, CancellationToken stop)
    {
        var interval = Stopwatch.Frequency / perSecond;
        var start = Stopwatch.GetTimestamp();
        var next = clients.Select((_, i) => start + (long)(interval * i / Math.Max(1, clients.Count))).ToArray();
        var sent = new int[clients.Count];
        long total = 0;
        while (!stop.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            var active = false;
            for (var i = 0; i < clients.Count; i++)
            {
                if (sent[i] >= messages || clients[i].Closed) continue;
                active = true;
                if (now < next[i]) continue;
                next[i] += (long)interval;
                sent[i]++;
                total++;
                _ = clients[i].Send(wire.Say(clients[i].Index, Stopwatch.GetTimestamp(), Padding)).AsTask()
                    .ContinueWith(static _ => { }, TaskContinuationOptions.OnlyOnFaulted);
            }
            if (!active) break;
            await Task.Delay(1, CancellationToken.None);
        }
        return total;
    }
}
