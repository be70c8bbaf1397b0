namespace ChatRoom.Host;

/// <summary>
/// When to give the heap's spare memory back to the system: once the server has gone quiet after a burst
/// (a login storm, a flood, a history export). The GC keeps what a burst committed, up to its gen 0
/// budget, which the runtime sizes from the CPU's cache (about 80 MiB on the 2-core machine of
/// docs/BENCHMARKS.md, against some 28 MiB of live objects with 10,000 users in the room); a compacting
/// collection in the GC's aggressive mode decommits it. It is a full blocking collection, so it waits for
/// quiet: no room is kept waiting while it chats, and a server that has allocated little since the last
/// trim is not collected again.
/// </summary>
/// <remarks>Fed one reading per tick of the total bytes allocated (<see cref="GC.GetTotalAllocatedBytes"/>);
/// it decides only, so a test drives it with numbers.</remarks>
internal sealed class MemoryTrim(int quietTicks, long quietBytesPerTick, long burstBytes)
{
    /// <summary>Allocation below this in a tick counts as quiet: an idle room of 10,000 (keepalives) allocates far less.</summary>
    public const long DefaultQuietBytesPerTick = 1 << 20;

    /// <summary>What must have been allocated since the last trim before another is worth a full collection.</summary>
    public const long DefaultBurstBytes = 16 << 20;

    private long _last = -1;
    private long _atTrim;
    private int _quiet;

    /// <summary>The policy of <c>Limits:TrimMemoryAfterQuietTicks</c> ticks; none when 0.</summary>
    public static MemoryTrim? For(int quietTicks) =>
        quietTicks > 0 ? new MemoryTrim(quietTicks, DefaultQuietBytesPerTick, DefaultBurstBytes) : null;

    /// <summary>Takes this tick's reading; true when a trim is due now (the count then starts again).</summary>
    public bool Due(long allocated)
    {
        if (_last < 0)
        {
            _last = allocated;
            return false;
        }
        _quiet = allocated - _last < quietBytesPerTick ? _quiet + 1 : 0;
        _last = allocated;
        if (_quiet < quietTicks || allocated - _atTrim < burstBytes) return false;
        _atTrim = allocated;
        _quiet = 0;
        return true;
    }
}
