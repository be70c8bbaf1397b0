using System.Reflection;
using System.Runtime.ExceptionServices;
using NATS.Client.KeyValueStore;

namespace ChatRoom.Host.Tests.Cluster;

/// <summary>
/// A real key-value store with one of its calls changed, to put a race's other side exactly where the race needs it
/// (no sleeping and hoping): a watch that sees no key (a host whose watcher has not delivered a change yet), or a
/// step run right after a delete (another host acting between a write and what the writer does next).
/// </summary>
public class KVStoreProxy : DispatchProxy
{
    private INatsKVStore _real = null!;
    private bool _blind;
    private Func<Task>? _afterDelete;

    /// <summary>The store, whose watchers see no key at all (they get "no data" and are synced, empty, at once).</summary>
    public static INatsKVStore Blind(INatsKVStore real) => Make(real, blind: true, afterDelete: null);

    /// <summary>The store, running <paramref name="afterDelete"/> after each delete has been done and before it returns.</summary>
    public static INatsKVStore AfterDelete(INatsKVStore real, Func<Task> afterDelete) => Make(real, blind: false, afterDelete);

    private static INatsKVStore Make(INatsKVStore real, bool blind, Func<Task>? afterDelete)
    {
        var store = Create<INatsKVStore, KVStoreProxy>();
        var proxy = (KVStoreProxy)(object)store;
        proxy._real = real;
        proxy._blind = blind;
        proxy._afterDelete = afterDelete;
        return store;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (_blind && method!.Name == nameof(INatsKVStore.WatchAsync) && args is [string, ..])
            args[0] = "no.key.is.called.this";
        var result = Call(method!, args);
        if (_afterDelete is { } after && method!.Name == nameof(INatsKVStore.DeleteAsync) && result is ValueTask deleting)
            return new ValueTask(Then(deleting, after));
        return result;
    }

    private static async Task Then(ValueTask first, Func<Task> then)
    {
        await first;
        await then();
    }

    private object? Call(MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(_real, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Throw(inner);
            throw;
        }
    }
}
