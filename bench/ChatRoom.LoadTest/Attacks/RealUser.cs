using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// What a real user's login met: the first clear answer (or "silent", "closed", "connect failed") and when; and,
/// when that answer was ERROR 503 busy, how long until the retried LOGIN was welcomed (NaN if it never was).
/// </summary>
public sealed record LoginOutcome(string Answer, double HelloSeconds, double AnswerSeconds)
{
    /// <summary>Seconds from the first LOGIN to WELCOME, retries after busy answers included.</summary>
    public double WelcomeSeconds { get; init; } = double.NaN;

    /// <summary>How many busy answers came before the last answer.</summary>
    public int BusyAnswers { get; init; }

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
            var first = new LoginOutcome(answer ?? (seconds >= deadline.TotalSeconds - 0.1 ? "silent" : "closed"), helloSeconds, seconds);
            // Like the chatroom client: after "ERROR 503 busy, retry in N s", wait N s and send the LOGIN again.
            var busy = 0;
            while (answer?.StartsWith("ERROR 503", StringComparison.Ordinal) == true && busy < 5 && sent.Elapsed < deadline)
            {
                busy++;
                var wait = System.Text.RegularExpressions.Regex.Match(answer, @"retry in (\d+) s") is { Success: true } m ? int.Parse(m.Groups[1].Value) : 2;
                await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(wait, 1, 30)));
                await client.Send($"LOGIN {nick} {target.Password}");
                answer = await client.ReadUntil(IsClear, deadline - sent.Elapsed);
            }
            var welcomed = answer?.StartsWith("WELCOME", StringComparison.Ordinal) == true;
            if (welcomed) await client.Send("QUIT");
            return first with { WelcomeSeconds = welcomed ? sent.Elapsed.TotalSeconds : double.NaN, BusyAnswers = busy };
        }
    }

    private static bool IsClear(string line) => new LoginOutcome(line, 0, 0).Clear;

    /// <summary>Adds one outcome to a report under <paramref name="prefix"/>: the answer, and its latency in seconds.</summary>
    public static Report Record(this Report report, string prefix, LoginOutcome outcome) => report
        .Set(prefix + "_answer", outcome.Answer)
        .Set(prefix + "_seconds", outcome.AnswerSeconds)
        .Set(prefix + "_clear", outcome.Clear)
        .Set(prefix + "_welcome_seconds", outcome.WelcomeSeconds)
        .Set(prefix + "_busy_answers", outcome.BusyAnswers);
}
