using LanguageExt.TypeClasses;

namespace ChatRoom.Core.Room;

// The LanguageExt class instances the room's collections name. Left to itself, LanguageExt picks one
// (HashMap<K, V> means EqDefault<K>, Set<A> means OrdDefault<A>) by searching every type of every loaded
// assembly for an instance, the first time each is used. In this server that search cost 45 MiB of type data,
// more than a freshly started server needs for everything else, and it is the code behind LanguageExt's
// trimming warnings in the NativeAOT build (docs/ARCHITECTURE.md). Naming the instance skips the search.

/// <summary>Order and equality of connection ids (by number: the order they connected in).</summary>
public readonly struct OrdConnectionId : Ord<ConnectionId>
{
    /// <inheritdoc />
    public int Compare(ConnectionId x, ConnectionId y) => x.Value.CompareTo(y.Value);

    /// <inheritdoc />
    public bool Equals(ConnectionId x, ConnectionId y) => x.Value == y.Value;

    /// <inheritdoc />
    public int GetHashCode(ConnectionId x) => x.Value.GetHashCode();

    /// <inheritdoc />
    public Task<int> CompareAsync(ConnectionId x, ConnectionId y) => Task.FromResult(Compare(x, y));

    /// <inheritdoc />
    public Task<bool> EqualsAsync(ConnectionId x, ConnectionId y) => Task.FromResult(Equals(x, y));

    /// <inheritdoc />
    public Task<int> GetHashCodeAsync(ConnectionId x) => Task.FromResult(GetHashCode(x));
}

/// <summary>Order and equality of <see cref="Holder"/>s (by count, then address, ordinally).</summary>
public readonly struct OrdHolder : Ord<Holder>
{
    /// <inheritdoc />
    public int Compare(Holder x, Holder y) => x.CompareTo(y);

    /// <inheritdoc />
    public bool Equals(Holder x, Holder y) => x.Equals(y);

    /// <inheritdoc />
    public int GetHashCode(Holder x) => x.GetHashCode();

    /// <inheritdoc />
    public Task<int> CompareAsync(Holder x, Holder y) => Task.FromResult(Compare(x, y));

    /// <inheritdoc />
    public Task<bool> EqualsAsync(Holder x, Holder y) => Task.FromResult(Equals(x, y));

    /// <inheritdoc />
    public Task<int> GetHashCodeAsync(Holder x) => Task.FromResult(GetHashCode(x));
}
