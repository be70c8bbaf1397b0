using System.CommandLine;
using System.Net;
using System.Text.Json;
using ChatRoom.Core.Auth;
using ChatRoom.Host;
using ChatRoom.LoadTest;
using ChatRoom.LoadTest.Attacks;

// ChatRoom.LoadTest: the load generator. It only connects to loopback addresses, and every run is bounded
// in count and in time (--timeout).

var protocol = new Option<string>("--protocol") { Description = "chatroom, chatroom3 (protocol 3: PRESENCE lines in a large room), irc or irc-register", DefaultValueFactory = _ => "chatroom", Recursive = true };
var host = new Option<string>("--host") { Description = "server address (loopback only)", DefaultValueFactory = _ => "127.0.0.1", Recursive = true };
var port = new Option<int>("--port") { Description = "server port", DefaultValueFactory = _ => 7777, Recursive = true };
var pid = new Option<int?>("--pid") { Description = "server process id, for its CPU time and memory (from /proc)", Recursive = true };
var prefix = new Option<string>("--prefix") { Description = "nicknames are <prefix><n>", DefaultValueFactory = _ => "u", Recursive = true };
var password = new Option<string>("--password") { Description = "the password of every load account", DefaultValueFactory = _ => "loadtest", Recursive = true };
var timeout = new Option<double>("--timeout") { Description = "upper bound on one run, seconds", DefaultValueFactory = _ => 180, Recursive = true };
var label = new Option<string?>("--label") { Description = "a label copied into the JSON line", Recursive = true };
var tls = new Option<bool>("--tls") { Description = "connect with TLS (give the server's TLS port as --port)", Recursive = true };
var checkViews = new Option<int>("--check-views") { Description = "every N-th client keeps the list of who is in the room it was told, checked at the end (0: none)", Recursive = true };
var ports = new Option<string?>("--ports")
{
    Description = "several hosts of one room (comma-separated ports, e.g. 7001,7002): clients are spread over them round-robin; overrides --port",
    Recursive = true,
};
var pids = new Option<string?>("--pids") { Description = "the process ids of those hosts (comma-separated): their CPU time is summed; overrides --pid", Recursive = true };
var natsPid = new Option<int?>("--nats-pid") { Description = "the NATS server's process id: its CPU time is reported apart (nats_cpu_sec)", Recursive = true };
var server = new Option<string?>("--server")
{
    Description = "the server's name (chatroom, ngircd, inspircd), copied into the JSON line: summarize gives each its own column",
    Recursive = true,
};

var clients = new Option<int>("--clients") { DefaultValueFactory = _ => 100 };
var messages = new Option<int>("--messages") { DefaultValueFactory = _ => 300 };
var rate = new Option<double>("--rate") { Description = "messages per second per client; 0 = as fast as possible", DefaultValueFactory = _ => 0 };
var fanout = new Command("fanout", "N clients in one room, each sends M messages.") { clients, messages, rate };

var connClients = new Option<int>("--clients") { DefaultValueFactory = _ => 10_000 };
var hold = new Option<double>("--hold") { Description = "seconds to stay connected after logging in", DefaultValueFactory = _ => 10 };
var concurrency = new Option<int>("--concurrency")
{
    Description = "handshakes in flight; ngircd listens with a backlog of 10, so more make it drop SYNs; InspIRCd registers in a once-per-second sweep, so it needs many",
    DefaultValueFactory = _ => 8,
};
var quietBefore = new Option<double>("--quiet-before")
{
    Description = "seconds the freshly started server is left alone before its first RSS reading (a server may give back its start-up's memory once quiet)",
    DefaultValueFactory = _ => 5,
};
var connections = new Command("connections", "C clients log in and stay idle.") { connClients, hold, concurrency, quietBefore };

var chatters = new Option<int>("--chatters") { DefaultValueFactory = _ => 100 };
var chatRate = new Option<double>("--rate") { DefaultValueFactory = _ => 5 };
var duration = new Option<double>("--duration") { Description = "seconds of each phase", DefaultValueFactory = _ => 10 };
var workers = new Option<int>("--workers") { Description = "concurrent connect-login-quit loops", DefaultValueFactory = _ => 8 };
var logins = new Command("logins", "Chat latency with and without a storm of logins.") { chatters, chatRate, duration, workers };

var startupMs = new Option<int>("--startup-ms") { Description = "milliseconds from the server's start to its open port, measured by the caller" };
var fresh = new Command("fresh", "A freshly started server: its start-up time (given) and its RSS once settled (1 s).") { startupMs };

var count = new Option<int>("--count") { DefaultValueFactory = _ => 10_100 };
var iterations = new Option<int>("--iterations") { Description = "PBKDF2 iterations for the load accounts", DefaultValueFactory = _ => 1000 };
var data = new Option<string>("--data") { Description = "the server's data folder", Required = true };
var startAt = new Option<int>("--start") { Description = "the first account's number", DefaultValueFactory = _ => 0 };
var reuseHash = new Option<bool>("--reuse-hash")
{
    Description = "hash the password once and give every new account that hash (same salt): accounts at the full cost in seconds, for runs that never check their passwords",
};
var accounts = new Command("accounts", "Write a users file with <prefix><start>..<prefix><start+N-1> for the load runs.") { count, iterations, data, startAt, reuseHash };

var tokensFile = new Option<string>("--tokens") { Description = "the file of '<nick> <token>' lines (mode 0600)", Required = true };
var tokenCount = new Option<int>("--count") { DefaultValueFactory = _ => 10_000 };
var seedData = new Option<string>("--data") { Description = "the server's data folder", Required = true };
var seed = new Command("tokens-seed", "Write a token file for <prefix>0..N-1 in the server's format, and the tokens (issue 10's resume benchmark).") { tokenCount, seedData };
var renewConcurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 200 };
var renew = new Command("tokens-renew", "Every token holder RESUMEs, asks the server for a new token (TOKEN) and quits.") { renewConcurrency };
var resumeConcurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 1000 };
var floodWorkers = new Option<int>("--flood-workers") { Description = "password-login loops, each from its own 127.0.0.x", DefaultValueFactory = _ => 8 };
var resume = new Command("tokens-resume", "Every token holder RESUMEs at once while other addresses flood the server with password logins.") { resumeConcurrency, floodWorkers };

var costData = new Option<string>("--data") { Description = "the server's data folder (users.json, tokens.json)", Required = true };
var costChecks = new Option<int>("--checks") { DefaultValueFactory = _ => 200_000 };
var checkCost = new Command("tokens-check-cost", "Time the server's token look-up (TokenStore.Check) on a data folder, in this process.") { costData, costChecks };
checkCost.Options.Add(tokensFile);

var natsUrl = new Option<string>("--url") { Description = "the NATS server (nats://127.0.0.1:4222)", Required = true };
var jsRoom = new Option<string>("--room") { Description = "the room whose stream is appended to (CHATROOM_<room>)", Required = true };
var jsEvents = new Option<int>("--events") { DefaultValueFactory = _ => 100_000 };
var jsBatch = new Option<int>("--batch") { Description = "events per Append, as the host's log writer batches (at most Log:MaxBatch, 1,024)", DefaultValueFactory = _ => 1024 };
var jsText = new Option<int>("--text-bytes") { Description = "characters per message (the load test's lines carry about 60)", DefaultValueFactory = _ => 60 };
var jsAppend = new Command("js-append", "Append room events to a room's JetStream stream through the host's JetStreamRoomLog, one batch at a time: events per second.")
{
    natsUrl, jsRoom, jsEvents, jsBatch, jsText,
};
jsAppend.SetAction(r => Print(r, JetStreamBench.Append(r.GetValue(natsUrl)!, r.GetValue(jsRoom)!, r.GetValue(jsEvents), r.GetValue(jsBatch),
    r.GetValue(jsText), r.GetValue(natsPid), Console.Error)));
var welcomeNick = new Option<string>("--nick") { DefaultValueFactory = _ => "u1" };
var startedAt = new Option<long>("--started-unix-ms") { Description = "when the caller started the host (date +%s%3N)", Required = true };
var welcome = new Command("welcome", "A host just started: ms until its port is open, and until a login's WELCOME (a cluster host has then applied its stream).")
{
    welcomeNick, startedAt,
};
welcome.SetAction((r, _) => Run(r, t => JetStreamBench.Welcome(t.Endpoint, r.GetValue(welcomeNick)!, t.Password, r.GetValue(startedAt), t.Timeout, t.ServerPid)));

var results = new Argument<string>("results") { Description = "a file of JSON lines written by runs" };
var summarize = new Command("summarize", "Print the medians of the runs in a results file, ChatRoom beside ngircd and InspIRCd.") { results };
summarize.SetAction(r => Summary.Print(r.GetValue(results)!, Console.Out));

var handshakeCount = new Option<int>("--count") { DefaultValueFactory = _ => 2000 };
var handshakeConcurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 16 };
var handshakes = new Command("handshakes", "Connections opened and closed at once (with --tls, a TLS handshake each): handshakes per second.")
{
    handshakeCount, handshakeConcurrency,
};

var root = new RootCommand("ChatRoom load generator (loopback only).") { protocol, host, port, ports, pid, pids, natsPid, prefix, password, timeout, label, server, tls, checkViews };
seed.Options.Add(tokensFile);
renew.Options.Add(tokensFile);
resume.Options.Add(tokensFile);
root.Subcommands.Add(fanout);
root.Subcommands.Add(connections);
root.Subcommands.Add(logins);
root.Subcommands.Add(fresh);
root.Subcommands.Add(handshakes);
root.Subcommands.Add(accounts);
root.Subcommands.Add(summarize);
root.Subcommands.Add(jsAppend);
root.Subcommands.Add(welcome);
root.Subcommands.Add(seed);
root.Subcommands.Add(checkCost);
checkCost.SetAction(r => Print(r, TokenCheckCost.Measure(r.GetValue(costData)!, r.GetValue(tokensFile)!, r.GetValue(costChecks))));
root.Subcommands.Add(renew);
root.Subcommands.Add(resume);
seed.SetAction(r => TokenScenarios.Seed(r.GetValue(seedData)!, r.GetValue(prefix)!, r.GetValue(tokenCount), r.GetValue(tokensFile)!, Console.Error));
renew.SetAction((r, _) => Run(r, t => TokenScenarios.Renew(t, r.GetValue(tokensFile)!, r.GetValue(renewConcurrency), Console.Error)));
resume.SetAction((r, _) => Run(r, t => TokenScenarios.Resume(t, r.GetValue(tokensFile)!, r.GetValue(resumeConcurrency), r.GetValue(floodWorkers), Console.Error)));

Target? TargetOf(ParseResult r)
{
    if (!IPAddress.TryParse(r.GetValue(host), out var address) || !IPAddress.IsLoopback(address))
    {
        Console.Error.WriteLine($"error: --host must be a loopback address, not '{r.GetValue(host)}'");
        return null;
    }
    if (!TryList(r.GetValue(ports), out var portList) || portList.Any(p => p is <= 0 or > 65535) || !TryList(r.GetValue(pids), out var pidList))
    {
        Console.Error.WriteLine("error: --ports and --pids take comma-separated numbers (e.g. 7001,7002)");
        return null;
    }
    var endpoints = portList.Select(p => new IPEndPoint(address, p)).ToList();
    return new Target(Wire.For(r.GetValue(protocol)!), endpoints.FirstOrDefault() ?? new IPEndPoint(address, r.GetValue(port)),
        pidList.Count > 0 ? pidList[0] : r.GetValue(pid), r.GetValue(prefix)!, r.GetValue(password)!, TimeSpan.FromSeconds(r.GetValue(timeout)))
    {
        Tls = r.GetValue(tls),
        ViewEvery = r.GetValue(checkViews),
        Endpoints = endpoints,
        ServerPids = pidList,
        NatsPid = r.GetValue(natsPid),
    };
}

static bool TryList(string? text, out List<int> numbers)
{
    numbers = [];
    foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        if (!int.TryParse(part, out var n)) return false;
        numbers.Add(n);
    }
    return true;
}

int Print(ParseResult r, Report report)
{
    if (r.GetValue(label) is { } l) report.Set("label", l);
    if (r.GetValue(server) is { } name) report.Set("server", name);
    if (r.GetValue(tls)) report.Set("tls", true);
    Console.WriteLine("  " + string.Join(", ", report.Figures.Select(kv => $"{kv.Key}={kv.Value}")));
    Console.WriteLine(JsonSerializer.Serialize(report.Figures));
    return 0;
}

async Task<int> Run(ParseResult r, Func<Target, Task<Report>> scenario)
{
    if (TargetOf(r) is not { } target) return 1;
    using var bound = new CancellationTokenSource(target.Timeout + TimeSpan.FromSeconds(60));
    try
    {
        return Print(r, await scenario(target).WaitAsync(bound.Token));
    }
    catch (Exception e) when (e is OperationCanceledException or TimeoutException or IOException or System.Net.Sockets.SocketException)
    {
        Console.Error.WriteLine($"error: the run did not finish: {e.Message}");
        return 2;
    }
}

fanout.SetAction((r, _) => Run(r, t => Scenarios.Fanout(t, r.GetValue(clients), r.GetValue(messages), r.GetValue(rate), Console.Error)));
connections.SetAction((r, _) => Run(r, t => Scenarios.Connections(t, r.GetValue(connClients), TimeSpan.FromSeconds(r.GetValue(hold)), r.GetValue(concurrency),
    TimeSpan.FromSeconds(r.GetValue(quietBefore)), Console.Error)));
logins.SetAction((r, _) => Run(r, t => Scenarios.Logins(t, r.GetValue(chatters), r.GetValue(chatRate),
    TimeSpan.FromSeconds(r.GetValue(duration)), r.GetValue(workers), Console.Error)));
fresh.SetAction((r, _) => Run(r, t => Scenarios.Fresh(t, r.GetValue(startupMs))));
handshakes.SetAction((r, _) => Run(r, t => Scenarios.Handshakes(t, r.GetValue(handshakeCount), r.GetValue(handshakeConcurrency))));
root.Subcommands.Add(AttackCommand.Create(Run));

accounts.SetAction(r =>
{
    var store = UserStore.Open(Path.Combine(r.GetValue(data)!, "users.json"), r.GetValue(iterations));
    if (store.Case is not UserStore users)
    {
        Console.Error.WriteLine($"error: {store.Match(_ => "", e => e.Message)}");
        return 1;
    }
    var pw = r.GetValue(password)!;
    var from = r.GetValue(startAt);
    // The hashes are made on every core, and saved every 200 accounts: at the default cost 10,000 take about half
    // an hour of CPU, and an interrupted run keeps what it made.
    var missing = Enumerable.Range(from, r.GetValue(count)).Select(i => r.GetValue(prefix) + i)
        .Where(nick => users.Current.Find(nick).IsNone).ToArray();
    var shared = new Lazy<PasswordHash>(() => users.Hash(pw));
    foreach (var chunk in missing.Chunk(r.GetValue(reuseHash) ? 5000 : 200))
    {
        var hashes = new PasswordHash[chunk.Length];
        if (r.GetValue(reuseHash)) Array.Fill(hashes, shared.Value);
        else Parallel.For(0, chunk.Length, i => hashes[i] = users.Hash(pw));
        var made = users.Update(directory =>
        {
            var result = directory;
            for (var i = 0; i < chunk.Length; i++)
            {
                if (result.Find(chunk[i]).IsSome) continue;
                var added = result.Add(new UserAccount(chunk[i], hashes[i]));
                if (added.Case is not UserDirectory next) return added;
                result = next;
            }
            return result;
        });
        if (made.Case is not UserDirectory saved)
        {
            Console.Error.WriteLine($"error: {made.Match(_ => "", e => e.Message)}");
            return 1;
        }
        Console.Error.WriteLine($"{saved.Accounts.Count} accounts in {users.Path}");
    }
    return 0;
});

return await root.Parse(args).InvokeAsync();
