using System.Diagnostics;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// Attacks on the password check (issue 9, item 1): anonymous LOGINs that make the server hash, and a real
/// user (account real0.., default hash cost) who logs in from a fresh address meanwhile. The real user waits
/// longer than the login timeout, so a silent server shows as "BYE login timeout" or "silent".
/// </summary>
public static class LoginAttacks
{
    private static readonly TimeSpan RealDeadline = TimeSpan.FromSeconds(40);

    /// <summary>1a: <paramref name="count"/> × (connect, LOGIN ghostN wrong, close) from one address, then a real login.</summary>
    public static async Task<Report> Ghosts(Target target, int count, TextWriter log)
    {
        var report = new Report("login-ghosts", target.Wire.Name).Set("ghosts", count);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                if (await Attackers.FireAndForget(target, Sources.Attacker(0), Attackers.Login($"ghost{i}", 5))) Interlocked.Increment(ref sent);
            }
            finally
            {
                gate.Release();
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        log.WriteLine($"  {sent} ghost logins sent in {seconds:0.00} s; a real user logs in");
        var real = await RealUser.Login(target, Sources.Fresh(0), RealUser.DefaultNick, RealDeadline);
        log.WriteLine($"  real user: {real.Answer} after {real.AnswerSeconds:0.00} s");
        return report.Set("ghosts_sent", sent).Set("ghost_seconds", seconds).Record("real", real);
    }

    /// <summary>1b and 1c: <paramref name="count"/> LOGINs held open over <paramref name="addresses"/> addresses, then a real login.</summary>
    public static async Task<Report> Held(Target target, string scenario, int count, int addresses, TextWriter log)
    {
        var report = new Report(scenario, target.Wire.Name).Set("held", count).Set("addresses", addresses);
        var held = await Attackers.HoldLogins(target, count, i => Sources.Attacker(i % addresses), "held");
        try
        {
            // Let the server read every held LOGIN before the real one arrives, as an attacker would.
            await Task.Delay(300);
            log.WriteLine($"  {held.Count} LOGINs held from {addresses} address(es); a real user logs in");
            var real = await RealUser.Login(target, Sources.Fresh(0), RealUser.DefaultNick, RealDeadline);
            log.WriteLine($"  real user: {real.Answer} after {real.AnswerSeconds:0.00} s");
            return report.Set("held_open", held.Count).Record("real", real);
        }
        finally
        {
            foreach (var client in held) client.Dispose();
        }
    }

    /// <summary>
    /// 1d: <paramref name="perSecond"/> LOGINs a second from one address for <paramref name="duration"/>, each on a new
    /// connection closed at once; a real user (real0, real1...) logs in every <paramref name="every"/> from a fresh address.
    /// </summary>
    public static async Task<Report> Sustained(Target target, double perSecond, TimeSpan duration, TimeSpan every, TextWriter log)
    {
        var report = new Report("login-sustained", target.Wire.Name).Set("rate", perSecond).Set("duration_sec", duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        var attack = Task.Run(async () =>
        {
            var sent = 0;
            var pending = new List<Task<bool>>();
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                var due = TimeSpan.FromSeconds(i / perSecond);
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                pending.Add(Attackers.FireAndForget(target, Sources.Attacker(0), Attackers.Login($"ghost{i}", 5)));
            }
            foreach (var ok in await Task.WhenAll(pending)) if (ok) sent++;
            return sent;
        });
        var tries = new List<Task<LoginOutcome>>();
        for (var k = 0; TimeSpan.FromTicks(every.Ticks * k) < duration; k++)
        {
            var due = TimeSpan.FromTicks(every.Ticks * k);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            var at = clock.Elapsed.TotalSeconds;
            var source = Sources.Fresh(k);
            var nick = $"real{k}";
            tries.Add(Task.Run(async () =>
            {
                var outcome = await RealUser.Login(target, source, nick, RealDeadline);
                log.WriteLine($"  real user at {at:0.0} s: {outcome.Answer} after {outcome.AnswerSeconds:0.00} s");
                return outcome;
            }));
        }
        var outcomes = await Task.WhenAll(tries);
        report.Set("attack_logins_sent", await attack)
            .Set("real_seconds_series", string.Join(" ", outcomes.Select(o => o.AnswerSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))))
            .Set("real_answers", string.Join(" | ", outcomes.Select(o => o.Answer)))
            .Set("real_welcomed", outcomes.Count(o => o.Welcomed))
            .Set("real_tries", outcomes.Length);
        return report.Set("real_max_seconds", outcomes.Max(o => o.AnswerSeconds));
    }

    /// <summary>
    /// 1e: <paramref name="count"/> fire-and-forget LOGINs with <paramref name="passwordBytes"/>-byte passwords in about
    /// <paramref name="within"/>, over <paramref name="addresses"/> addresses; RSS and a real login right after.
    /// </summary>
    public static async Task<Report> BigPasswords(Target target, int count, int passwordBytes, TimeSpan within, int addresses, TextWriter log)
    {
        var report = new Report("login-bigpass", target.Wire.Name).Set("logins", count).Set("password_bytes", passwordBytes)
            .Set("addresses", addresses);
        await using var watch = new ServerWatch(target.ServerPid, TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        var next = -1;
        var sent = 0;
        var workers = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && clock.Elapsed < within * 3)
            {
                var due = within * ((double)i / count);
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                if (await Attackers.FireAndForget(target, Sources.Attacker(i % addresses), Attackers.Login($"big{i}", passwordBytes)))
                    Interlocked.Increment(ref sent);
            }
        })).ToList();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        log.WriteLine($"  {sent} of {count} LOGINs sent in {seconds:0.0} s; a real user logs in");
        var rssSent = watch.Now;
        var real = await RealUser.Login(target, Sources.Fresh(0), RealUser.DefaultNick, RealDeadline);
        log.WriteLine($"  real user: {real.Answer} after {real.AnswerSeconds:0.00} s");
        return watch.Into(report.Set("sent", sent).Set("send_seconds", seconds).Set("rss_when_sent_mib", rssSent / 1024))
            .Record("real", real);
    }
}
