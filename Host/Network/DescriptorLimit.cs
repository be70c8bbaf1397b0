using System.Runtime.InteropServices;

namespace ChatRoom.Host;

/// <summary>
/// The process's file-descriptor limit (RLIMIT_NOFILE). Every connection is one descriptor, and running out of
/// them makes accept fail and can take the runtime down, so the server raises the soft limit to the hard one
/// at start and admits connections only up to it, less a reserve.
/// </summary>
internal static class DescriptorLimit
{
    private const int RlimitNofile = 7; // Linux

    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Max;
    }

    /// <summary>
    /// Raises the soft limit to the hard limit (Linux) and returns the soft limit now in force, or null when it
    /// cannot be read (another system): then no ceiling is applied.
    /// </summary>
    public static long? Raise()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            if (getrlimit(RlimitNofile, out var limit) != 0) return null;
            if (limit.Current < limit.Max)
            {
                var raised = limit with { Current = limit.Max };
                if (setrlimit(RlimitNofile, ref raised) == 0) limit = raised;
            }
            return (long)Math.Min(limit.Current, int.MaxValue);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>How many connections fit in <paramref name="limit"/> descriptors, keeping <paramref name="reserve"/> back.</summary>
    public static int Ceiling(long? limit, int reserve) =>
        limit is { } n ? (int)Math.Max(1, Math.Min(int.MaxValue, n - reserve)) : int.MaxValue;

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out Rlimit limit);

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, ref Rlimit limit);
}
