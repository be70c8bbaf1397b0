namespace ChatRoom.Host.Tests;

public class LowPriorityTests
{
    [LinuxFact]
    public void A_password_check_thread_really_runs_at_a_lower_priority_on_linux()
    {
        var callerBefore = NiceOf(LowPriority.CurrentThreadId());
        string? failure = "not run";
        var nice = int.MinValue;
        var thread = new Thread(() =>
        {
            failure = LowPriority.ApplyToCurrentThread();
            nice = NiceOf(LowPriority.CurrentThreadId());
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(5)), "the thread did not finish");

        Assert.Null(failure);
        Assert.Equal(Math.Min(19, callerBefore + LowPriority.Lower), nice);
        Assert.Equal(callerBefore, NiceOf(LowPriority.CurrentThreadId())); // only the thread that asked is lowered
    }

    /// <summary>Field 19 of /proc/self/task/&lt;tid&gt;/stat; the fields are counted after the ")" that ends the name.</summary>
    private static int NiceOf(int tid)
    {
        var stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
