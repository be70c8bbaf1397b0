using LanguageExt.TypeClasses;

namespace ChatRoom.Core.Room;

/// <summary>
/// Equality of connection ids, named explicitly for the room's hash maps. LanguageExt's default
/// (<c>HashMap&lt;K, V&gt;</c>, which means <c>EqDefault&lt;K&gt;</c>) looks for an instance by reflecting over every
/// type of every loaded assembly the first time it is used; in this server that cost 45 MiB of type data, more
/// than a freshly started server needs for everything else. Naming the instance skips the search.
/// </summary>
public readonly struct EqConnectionId : Eq<ConnectionId>
{
    /// <inheritdoc />
    public bool Equals(ConnectionId x, ConnectionId y) => x.Value == y.Value;

    /// <inheritdoc />
    public int GetHashCode(ConnectionId x) => x.Value.GetHashCode();

    /// <inheritdoc />
    public Task<bool> EqualsAsync(ConnectionId x, ConnectionId y) => Task.FromResult(Equals(x, y));

    /// <inheritdoc />
    public Task<int> GetHashCodeAsync(ConnectionId x) => Task.FromResult(GetHashCode(x));
}
