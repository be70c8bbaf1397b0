using System.CommandLine;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>
/// <c>attack &lt;name&gt;</c>: the hostile-load scenarios of issue 9, one subcommand each, with the sizes as
/// defaults. bench/attack.sh runs each against a freshly started server.
/// </summary>
public static class AttackCommand
{
    public delegate Task<int> Runner(ParseResult parsed, Func<Target, Task<Report>> scenario);

    public static Command Create(Runner run)
    {
        var attack = new Command("attack", "Hostile-load scenarios (issue 9); each prints one JSON line.");
        var log = Console.Error;

        var ghosts = Opt("--count", 150, "connect, LOGIN, close: how many");
        Add(attack, "login-ghosts", "1a: fire-and-forget LOGINs from one address, then a real login.", run,
            r => t => LoginAttacks.Ghosts(t, r.GetValue(ghosts), log), ghosts);

        var held = Opt("--count", 24, "LOGINs held open");
        var heldFrom = Opt("--addresses", 1, "source addresses they come from");
        Add(attack, "login-held", "1b: LOGINs held open from one address, then a real login.", run,
            r => t => LoginAttacks.Held(t, "login-held", r.GetValue(held), r.GetValue(heldFrom), log), held, heldFrom);

        var spread = Opt("--count", 120, "addresses, each holding one LOGIN");
        Add(attack, "login-spread", "1c: one held LOGIN from each of many addresses, then a real login.", run,
            r => t => LoginAttacks.Held(t, "login-spread", r.GetValue(spread), r.GetValue(spread), log), spread);

        var rate = Opt("--rate", 5.0, "LOGINs a second from one address");
        var lasting = Opt("--duration", 30.0, "seconds");
        var every = Opt("--every", 5.0, "seconds between real logins");
        Add(attack, "login-sustained", "1d: a steady stream of LOGINs from one address; real logins every few seconds.", run,
            r => t => LoginAttacks.Sustained(t, r.GetValue(rate), Seconds(r.GetValue(lasting)), Seconds(r.GetValue(every)), log), rate, lasting, every);

        var big = Opt("--count", 20_000, "LOGINs");
        var bigBytes = Opt("--password-bytes", 4000, "bytes of each password");
        var bigWithin = Opt("--within", 9.0, "seconds to send them in");
        var bigFrom = Opt("--addresses", 400, "source addresses (the server admits 64 connections per address)");
        Add(attack, "login-bigpass", "1e: fire-and-forget LOGINs with long passwords; RSS, then a real login.", run,
            r => t => LoginAttacks.BigPasswords(t, r.GetValue(big), r.GetValue(bigBytes), Seconds(r.GetValue(bigWithin)), r.GetValue(bigFrom), log),
            big, bigBytes, bigWithin, bigFrom);

        var pongMembers = Opt("--members", 20, "members chatting");
        var pongConnections = Opt("--connections", 64, "flooding connections (16 per address)");
        var pongFor = Opt("--duration", 5.0, "seconds of flood");
        var pongAfter = Opt("--after", 5.0, "seconds of chat measured after the flood");
        Add(attack, "pong-flood", "2a: anonymous connections flood PONG while members chat.", run,
            r => t => FloodAttacks.PongFlood(t, r.GetValue(pongMembers), r.GetValue(pongConnections), Seconds(r.GetValue(pongFor)),
                Seconds(r.GetValue(pongAfter)), log), pongMembers, pongConnections, pongFor, pongAfter);

        var sayMembers = Opt("--members", 20, "members chatting besides the flooder");
        var sayFor = Opt("--duration", 10.0, "seconds of flood");
        Add(attack, "say-flood", "2b: one member floods SAY while the others chat.", run,
            r => t => FloodAttacks.SayFlood(t, r.GetValue(sayMembers), Seconds(r.GetValue(sayFor)), log), sayMembers, sayFor);

        var massFrom = Opt("--addresses", 350, "source addresses");
        var massEach = Opt("--per-address", 60, "connections from each");
        var massMembers = Opt("--members", 4, "members chatting meanwhile");
        Add(attack, "idle-mass", "3: about 21,000 idle connections over two generator processes.", run,
            r => t => IdleMass.Run(t, r.GetValue(massFrom), r.GetValue(massEach), r.GetValue(massMembers), log), massFrom, massEach, massMembers);

        var holdFirst = Opt("--first-address", 175, "index of the first attacker address");
        var holdFrom = Opt("--addresses", 175, "source addresses");
        var holdEach = Opt("--per-address", 60, "connections from each");
        Add(attack, "idle-hold", "The second generator of idle-mass (started by it).", run,
            r => t => IdleMass.Hold(t, r.GetValue(holdFirst), r.GetValue(holdFrom), r.GetValue(holdEach), log), holdFirst, holdFrom, holdEach);

        var slowMembers = Opt("--members", 20, "members chatting");
        var slowConnects = Opt("--connects", 3000, "anonymous connects (each logged by the server)");
        var slowFrom = Opt("--addresses", 50, "source addresses");
        Add(attack, "slow-log", "4: members chat while connections churn; run it with the server's output read slowly.", run,
            r => t => SlowLog.Run(t, r.GetValue(slowMembers), r.GetValue(slowConnects), r.GetValue(slowFrom), log), slowMembers, slowConnects, slowFrom);

        var whoMembers = Opt("--members", 2001, "members in the room");
        var whoChatters = Opt("--chatters", 5, "of them chatting, 2 lines a second each");
        var whoFor = Opt("--duration", 10.0, "seconds of WHO");
        Add(attack, "who-flood", "5: one member sends WHO as fast as it reads, in a big room.", run,
            r => t => WhoFlood.Run(t, r.GetValue(whoMembers), r.GetValue(whoChatters), Seconds(r.GetValue(whoFor)), log), whoMembers, whoChatters, whoFor);

        var termMembers = Opt("--members", 20, "members logged in");
        var termConnections = Opt("--connections", 64, "flooding connections");
        var termFor = Opt("--duration", 5.0, "seconds of flood before SIGTERM");
        Add(attack, "sigterm-flood", "6: SIGTERM to the server right after a PONG flood (needs --pid).", run,
            r => t => SigtermFlood.Run(t, r.GetValue(termMembers), r.GetValue(termConnections), Seconds(r.GetValue(termFor)), log),
            termMembers, termConnections, termFor);

        var memConnections = Opt("--connections", 1000, "connections that never read");
        var memBytes = Opt("--bytes", 1 << 20, "bytes of PING lines each sends");
        var memEach = Opt("--per-address", 50, "connections per source address");
        var memLimit = Opt("--limit", 30.0, "seconds the sends may take");
        Add(attack, "kernel-mem", "8: clients that send PINGs and never read; kernel TCP memory.", run,
            r => t => KernelMem.Run(t, r.GetValue(memConnections), r.GetValue(memBytes), r.GetValue(memEach), Seconds(r.GetValue(memLimit)), log),
            memConnections, memBytes, memEach, memLimit);

        var results = new Argument<string>("results") { Description = "a file of JSON lines written by attacks" };
        var summary = new Command("summary", "Print the key figure of each attack in a results file.") { results };
        summary.SetAction(r => AttackSummary.Print(r.GetValue(results)!, Console.Out));
        attack.Subcommands.Add(summary);
        return attack;
    }

    private static void Add(Command parent, string name, string description, Runner run, Func<ParseResult, Func<Target, Task<Report>>> scenario,
        params Option[] options)
    {
        var command = new Command(name, description);
        foreach (var option in options) command.Options.Add(option);
        command.SetAction((r, _) => run(r, scenario(r)));
        parent.Subcommands.Add(command);
    }

    private static Option<T> Opt<T>(string name, T value, string description) =>
        new(name) { Description = $"{description} (default {value})", DefaultValueFactory = _ => value };

    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);
}
