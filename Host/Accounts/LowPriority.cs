using System.Runtime.InteropServices;

namespace ChatRoom.Host;

/// <summary>
/// Lowers the scheduling priority of the calling thread, so that the work it does (password hashing) only gets
/// the CPU the room and the sockets leave over. .NET's <see cref="Thread.Priority"/> is not applied on Linux:
/// there every thread stays at the process's nice value. So on Linux this also raises the thread's nice value
/// itself, by <see cref="Lower"/> (at most to 19).
/// </summary>
internal static class LowPriority
{
    /// <summary>How much the nice value is raised on Linux: 0 is normal, 19 the lowest priority.</summary>
    public const int Lower = 10;

    private const int PrioProcess = 0;
    private const int MaxNice = 19;

    /// <summary>
    /// Applies to the calling thread. Returns why it could not, or null when it did (the thread then runs at
    /// normal priority, which is safe, only less kind to chat).
    /// </summary>
    public static string? ApplyToCurrentThread()
    {
        Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            // With PRIO_PROCESS and a thread id, Linux reads and changes that one thread. Lowering one's own
            // priority needs no privilege. getpriority may return -1 legitimately, so errno tells the failure.
            var tid = CurrentThreadId();
            Marshal.SetLastPInvokeError(0);
            var nice = getpriority(PrioProcess, tid);
            if (nice == -1 && Marshal.GetLastPInvokeError() != 0) return $"getpriority failed (errno {Marshal.GetLastPInvokeError()})";
            return setpriority(PrioProcess, tid, Math.Min(MaxNice, nice + Lower)) == 0
                ? null
                : $"setpriority failed (errno {Marshal.GetLastPInvokeError()})";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return e.Message;
        }
    }

    /// <summary>The kernel's id of the calling thread (Linux only; glibc 2.30 or later).</summary>
    public static int CurrentThreadId() => gettid();

    [DllImport("libc", SetLastError = true)]
    private static extern int getpriority(int which, int who);

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc")]
    private static extern int gettid();
}
