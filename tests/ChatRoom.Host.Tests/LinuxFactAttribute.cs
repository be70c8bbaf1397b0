namespace ChatRoom.Host.Tests;

/// <summary>A fact that reads Linux's /proc: skipped, with the reason, on other systems.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "reads /proc, so it runs on Linux only";
    }
}
