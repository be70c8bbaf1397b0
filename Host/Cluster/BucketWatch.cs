using NATS.Client.Core;
using NATS.Client.KeyValueStore;

namespace ChatRoom.Host;

/// <summary>One key's last value in a bucket: its revision, and its bytes (null for a deleted key).</summary>
public readonly record struct BucketEntry(ulong Revision, byte[]? Value)
{
    /// <summary>
    /// Whether this value replaces <paramref name="seen"/>: a key never goes back in revision. At the same revision a
    /// deletion wins, since a host records its own deletion at the revision it deleted (NATS does not tell the
    /// marker's): "the value at that revision is gone", which a newer value, seen meanwhile, outlives.
    /// </summary>
    public bool Supersedes(BucketEntry seen) =>
        Revision > seen.Revision || (Revision == seen.Revision && Value is null && seen.Value is not null);
}

/// <summary>
/// Keeps a local copy of a key-value bucket current, for a store whose readers must never wait on NATS. Each round
/// watches every key: the first values (one per key, deletions included) are handed over whole once the last has
/// arrived (<c>synced</c>), then every change one by one (<c>changed</c>). A reconnection to NATS ends the round and
/// starts a fresh one, so whatever changed meanwhile (a removal included) is seen in the next full copy. Losing NATS
/// is reported once, with the URL and the bucket, until the copy is current again; the copy in hand stays in force.
/// </summary>
public sealed class BucketWatch : IAsyncDisposable
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    private readonly NatsConnection _connection;
    private readonly INatsKVStore _store;
    private readonly string _where;
    private readonly Action<Dictionary<string, BucketEntry>> _synced;
    private readonly Action<string, BucketEntry> _changed;
    private readonly Action<string> _problem;
    private readonly Action<string> _back;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _run;
    private CancellationTokenSource? _round;
    private int _reported;

    /// <param name="where">The bucket and its URL, as messages name them.</param>
    /// <param name="problem">Told once per outage what went wrong (an error to log).</param>
    /// <param name="back">Told when the copy is current again after a problem (information to log).</param>
    public BucketWatch(NatsConnection connection, INatsKVStore store, string where, Action<Dictionary<string, BucketEntry>> synced,
        Action<string, BucketEntry> changed, Action<string> problem, Action<string> back)
    {
        _connection = connection;
        _store = store;
        _where = where;
        _synced = synced;
        _changed = changed;
        _problem = problem;
        _back = back;
        connection.ConnectionDisconnected += OnDisconnected;
        connection.ConnectionOpened += OnReconnected;
        _run = Task.Run(Run);
    }

    /// <summary>Completes once the first full copy has been handed over.</summary>
    public Task FirstSync => _firstSync.Task;

    private ValueTask OnDisconnected(object? sender, NatsEventArgs args)
    {
        Report($"lost NATS: {args.Message}");
        return default;
    }

    private ValueTask OnReconnected(object? sender, NatsEventArgs args)
    {
        // A fresh round: the watch in hand resumes where it was, but a full copy also tells what was removed meanwhile.
        try
        {
            Volatile.Read(ref _round)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        return default;
    }

    private void Report(string what)
    {
        if (Interlocked.Exchange(ref _reported, 1) == 0) _problem($"{_where}: {what}; keeping what was read last until it is back");
    }

    private async Task Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            using (var round = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                Volatile.Write(ref _round, round);
                try
                {
                    await Watch(round.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // stopping, or a reconnection that starts a fresh round
                }
                catch (Exception e)
                {
                    Report(e.Message);
                }
                Volatile.Write(ref _round, null);
            }
            try
            {
                await Task.Delay(Pause, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task Watch(CancellationToken cancel)
    {
        var first = new Dictionary<string, BucketEntry>(StringComparer.Ordinal);
        var synced = false;
        // OnNoData runs on NATS's thread, and a put made just after the watch began can reach the loop below meanwhile:
        // the copy is handed over once, never while the loop still adds to it.
        var gate = new Lock();
        void Sync()
        {
            if (synced) return;
            synced = true;
            _synced(first);
            _firstSync.TrySetResult();
            if (Interlocked.Exchange(ref _reported, 0) == 1) _back($"{_where}: reachable again, {first.Count} keys read");
        }
        var opts = new NatsKVWatchOpts
        {
            IdleHeartbeat = TimeSpan.FromSeconds(1),
            OnNoData = _ =>
            {
                lock (gate) Sync();
                return ValueTask.FromResult(false);
            },
        };
        await foreach (var e in _store.WatchAsync<byte[]>(">", opts: opts, cancellationToken: cancel).ConfigureAwait(false))
        {
            var entry = new BucketEntry(e.Revision, e.Operation == NatsKVOperation.Put ? e.Value ?? [] : null);
            lock (gate)
            {
                if (synced)
                {
                    _changed(e.Key, entry);
                    continue;
                }
                first[e.Key] = entry;
                if (e.Delta == 0) Sync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _connection.ConnectionDisconnected -= OnDisconnected;
        _connection.ConnectionOpened -= OnReconnected;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
