using System.Net;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// The source addresses of the attacks, all in 127.0.0.0/8 so every run stays on loopback. Each role has a
/// range of its own, so the server's per-address counts and throttles never mix the roles: members on
/// 127.0.0.x, attackers from 127.0.1.1 on, and every real user or probe on an address no one else used.
/// </summary>
public static class Sources
{
    private const int PerBlock = 250; // .1 to .250 of each /24, clear of .0 and .255

    /// <summary>Members: 127.0.0.1 upwards (one address holds 12 members: see Members).</summary>
    public static IPAddress Member(int index) => At(0, Below(index, PerBlock));

    /// <summary>Attackers: 127.0.1.1 upwards, through 127.0.8.250 (2,000 addresses).</summary>
    public static IPAddress Attacker(int index) => At(1, Below(index, 8 * PerBlock));

    /// <summary>Real users and probes: 127.0.9.1 upwards, a fresh address for every try.</summary>
    public static IPAddress Fresh(int index) => At(9, index);

    private static int Below(int index, int limit) =>
        index < limit ? index : throw new ArgumentOutOfRangeException(nameof(index), $"at most {limit} addresses in this range");

    private static IPAddress At(int firstBlock, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var block = firstBlock + index / PerBlock;
        if (block > 255) throw new ArgumentOutOfRangeException(nameof(index), "past 127.0.255.x");
        return new IPAddress(new byte[] { 127, 0, (byte)block, (byte)(1 + index % PerBlock) });
    }
}
