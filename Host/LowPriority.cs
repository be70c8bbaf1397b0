using System.Runtime.InteropServices;

namespace ChatRoom.Host;

/// <summary>
/// Lowers the scheduling priority of the calling thread, so that the work it does (password hashing) only gets
/// the CPU the room and the sockets leave over. .NET's <see cref="Thread.Priority"/> is not applied on Linux:
/// there every thread stays at nice 0. So on Linux this also sets the thread's nice value itself.
/// </summary>
internal static class LowPriority
{
    /// <summary>The nice value given on Linux: from 0 (normal) to 19 (lowest).</summary>
    public const int Nice = 10;

    private const int PrioProcess = 0;

    /// <summary>Applies to the calling thread. False if the system refused (the thread then runs at normal priority).</summary>
    public static bool ApplyToCurrentThread()
    {
        Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
        if (!OperatingSystem.IsLinux()) return true;
        // With PRIO_PROCESS and a thread id, Linux changes that one thread. Lowering one's own priority needs no privilege.
        return setpriority(PrioProcess, CurrentThreadId(), Nice) == 0;
    }

    /// <summary>The kernel's id of the calling thread (Linux only).</summary>
    public static int CurrentThreadId() => gettid();

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc")]
    private static extern int gettid();
}
