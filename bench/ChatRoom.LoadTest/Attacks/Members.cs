using System.Net;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// The logged-in members of an attack: accounts u0.. at a cheap hash cost, 12 to a source address (under the
/// server's 16 connections per address that have not logged in, so a crowd logging in at once is not refused).
/// </summary>
public static class Members
{
    public const int PerAddress = 12;

    public static IPAddress SourceOf(int index) => Sources.Member(index / PerAddress);

    /// <summary>Logs in <paramref name="count"/> members and waits for the join traffic to settle; throws if any failed.</summary>
    public static async Task<Crowd> Open(Target target, int count, TextWriter log, int bufferBytes = 64 * 1024)
    {
        var crowd = await Crowd.Open(target, 0, count, bufferBytes, 64, log, SourceOf);
        if (crowd.Failures > 0)
        {
            await crowd.DisposeAsync();
            throw new IOException($"{crowd.Failures} of {count} members could not log in");
        }
        await crowd.Settle(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
        log.WriteLine($"  {count} members logged in ({crowd.OpenTime.TotalSeconds:0.0} s)");
        return crowd;
    }
}
