using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>What a real user's login met: the first clear answer (or "silent", "closed", "connect failed") and when.</summary>
public sealed record LoginOutcome(string Answer, double HelloSeconds, double AnswerSeconds)
{
    /// <summary>WELCOME, DENIED, ERROR or BYE: anything but silence counts as an answer the user can act on.</summary>
    public bool Clear => Answer.StartsWith("WELCOME", StringComparison.Ordinal) || Answer.StartsWith("DENIED", StringComparison.Ordinal)
        || Answer.StartsWith("ERROR", StringComparison.Ordinal) || Answer.StartsWith("BYE", StringComparison.Ordinal);

    public bool Welcomed => Answer.StartsWith("WELCOME", StringComparison.Ordinal);
}

/// <summary>
/// A real user: connects from an address no attacker uses, waits for HELLO, logs in with an account hashed at
/// the default cost, and times the first clear answer to the LOGIN. A welcomed user quits again, so the next
/// try can reuse the nick.
/// </summary>
public static class RealUser
{
    public const string DefaultNick = "real0";

    public static async Task<LoginOutcome> Login(Target target, IPAddress source, string nick, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        RawClient client;
        try
        {
            client = await RawClient.Connect(target.Endpoint, source, TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return new LoginOutcome("connect failed", double.NaN, clock.Elapsed.TotalSeconds);
        }
        using (client)
        {
            var hello = await client.ReadLine(TimeSpan.FromSeconds(5));
            var helloSeconds = clock.Elapsed.TotalSeconds;
            if (hello is null) return new LoginOutcome("no HELLO", double.NaN, helloSeconds);
            if (!hello.StartsWith("HELLO", StringComparison.Ordinal)) return new LoginOutcome(hello, helloSeconds, 0);
            var sent = Stopwatch.StartNew();
            await client.Send($"LOGIN {nick} {target.Password}");
            var answer = await client.ReadUntil(IsClear, deadline);
            var seconds = sent.Elapsed.TotalSeconds;
            if (answer?.StartsWith("WELCOME", StringComparison.Ordinal) == true) await client.Send("QUIT");
            return new LoginOutcome(answer ?? (seconds >= deadline.TotalSeconds - 0.1 ? "silent" : "closed"), helloSeconds, seconds);
        }
    }

    private static bool IsClear(string line) => new LoginOutcome(line, 0, 0).Clear;

    /// <summary>Adds one outcome to a report under <paramref name="prefix"/>: the answer, and its latency in seconds.</summary>
    public static Report Record(this Report report, string prefix, LoginOutcome outcome) => report
        .Set(prefix + "_answer", outcome.Answer)
        .Set(prefix + "_seconds", outcome.AnswerSeconds)
        .Set(prefix + "_clear", outcome.Clear);
}
