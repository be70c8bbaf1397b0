using System.Runtime.InteropServices;

namespace ChatRoom.Client.Terminal;

/// <summary>
/// Ctrl+Z for a client that reads the keyboard raw (so the terminal sends no SIGTSTP itself): the process group is
/// stopped as the terminal would have stopped it, and the shell's <c>fg</c> continues it (SIGCONT).
/// </summary>
internal static class JobControl
{
    /// <summary>Stops this job until it is continued. False where there is no job control (not Linux or macOS).</summary>
    public static bool Suspend()
    {
        var tstp = OperatingSystem.IsLinux() ? 20 : OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 18 : 0;
        return tstp != 0 && Kill(0, tstp) == 0;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
