using System.Diagnostics;
using ChatRoom.Core.Auth;
using Xunit.Abstractions;

namespace ChatRoom.Core.Tests.Auth;

public class DecoyTests(ITestOutputHelper output)
{
    private static readonly byte[] Salt = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

    private static UserAccount Account(string nick, int iterations) =>
        new(nick, PasswordHash.Create("right " + nick, Salt, iterations).ThrowIfFail());

    private static UserDirectory Directory(params (string Nick, int Iterations)[] accounts) =>
        accounts.Aggregate(UserDirectory.Empty, (d, a) => d.Add(Account(a.Nick, a.Iterations)).ThrowIfFail());

    [Fact]
    public void The_decoy_costs_what_most_accounts_cost_not_the_dearest()
    {
        var users = Directory(("a", 1_000), ("b", 1_000), ("c", 1_000), ("d", 20_000), ("e", 5_000), ("f", 5_000));
        Assert.Equal(1_000, users.DecoyIterations);
    }

    [Fact]
    public void Of_two_equally_common_costs_the_decoy_takes_the_higher() =>
        Assert.Equal(5_000, Directory(("a", 1_000), ("b", 5_000), ("c", 5_000), ("d", 1_000), ("e", 9_000)).DecoyIterations);

    [Fact]
    public void The_decoy_follows_every_change_of_the_directory()
    {
        var users = Directory(("a", 1_000), ("b", 2_000), ("c", 2_000));
        Assert.Equal(2_000, users.DecoyIterations);
        users = users.Remove("b").ThrowIfFail();
        Assert.Equal(2_000, users.DecoyIterations); // 1 each: the higher
        users = users.SetPassword("c", Account("c", 1_000).Hash).ThrowIfFail();
        Assert.Equal(1_000, users.DecoyIterations);
        Assert.Equal(2, users.Costs.Find(1_000).IfNone(0));
        Assert.True(users.Costs.Find(2_000).IsNone);
        users = users.Remove("a").ThrowIfFail().Remove("c").ThrowIfFail();
        Assert.Equal(PasswordHash.DefaultIterations, users.DecoyIterations);
        Assert.True(users.Costs.IsEmpty);
    }

    [Fact]
    public void An_empty_directory_uses_the_default_cost() =>
        Assert.Equal(PasswordHash.DefaultIterations, UserDirectory.Empty.DecoyIterations);

    /// <summary>
    /// The promise of PROTOCOL.md: with accounts of mixed cost, an unknown nickname takes as long as a wrong
    /// password for an account of the most common cost. The two kinds run in pairs, back to back and in
    /// alternating order, so that a busy neighbour on a shared machine slows both of a pair alike; the median of
    /// the pairs' ratios is the measure, beside the ratio of the two medians. Before the fix the decoy took the
    /// dearest cost here: about 6 times slower.
    /// </summary>
    [Fact]
    public void An_unknown_nickname_takes_as_long_as_a_wrong_password_for_the_most_common_cost()
    {
        var users = Directory(("a", 20_000), ("b", 20_000), ("c", 20_000), ("d", 140_000), ("e", 5_000), ("f", 5_000));
        Assert.Equal(AuthVerdict.UnknownUser, Authenticator.Authenticate(users, "nobody", "guess")); // warm up both paths
        Assert.Equal(AuthVerdict.WrongPassword, Authenticator.Authenticate(users, "a", "guess"));
        var unknown = new List<double>();
        var wrong = new List<double>();
        var ratios = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            double Unknown() => Time(() => Authenticator.Authenticate(users, $"nobody{i}", "guess"));
            double Wrong() => Time(() => Authenticator.Authenticate(users, "abc"[i % 3].ToString(), "guess"));
            double u, w;
            if (i % 2 == 0)
            {
                u = Unknown();
                w = Wrong();
            }
            else
            {
                w = Wrong();
                u = Unknown();
            }
            unknown.Add(u);
            wrong.Add(w);
            ratios.Add(u / w);
        }
        var ratio = Median(ratios);
        output.WriteLine($"median unknown {Median(unknown):0.00} ms, median wrong password {Median(wrong):0.00} ms, " +
            $"ratio of medians {Median(unknown) / Median(wrong):0.00}, median of paired ratios {ratio:0.00}");
        Assert.InRange(ratio, 0.67, 1.5);
    }

    private static double Time(Func<AuthVerdict> check)
    {
        var clock = Stopwatch.StartNew();
        check();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[sorted.Count / 2] + sorted[(sorted.Count - 1) / 2]) / 2;
    }
}
