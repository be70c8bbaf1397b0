using System.CommandLine;
using System.Security.Cryptography;
using ChatRoom.Core.Auth;
using ChatRoom.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var port = new System.CommandLine.Option<int?>("--port") { Description = "TCP port to listen on (0 picks a free one). Default 7777.", Recursive = true };
var bind = new System.CommandLine.Option<string?>("--bind") { Description = "Address to listen on; 0.0.0.0 serves other machines. Default 127.0.0.1.", Recursive = true };
var data = new System.CommandLine.Option<string?>("--data") { Description = "Data folder holding users.json. Default ./data.", Recursive = true };
var openRegistration = new System.CommandLine.Option<bool?>("--open-registration")
{
    Description = "Let a LOGIN with an unknown nickname create that account. Off by default.",
    Recursive = true,
};

var root = new RootCommand(
    """
    chatroom-host: the ChatRoom server. With no arguments it listens on 127.0.0.1:7777.
    Settings come from appsettings.json, then CHATROOM_* environment variables (CHATROOM_PORT,
    CHATROOM_LIMITS__MAXCONNECTIONS...), then the options below or --Key value pairs (--Limits:RateBurst 50).
    """)
{
    port, bind, data, openRegistration,
};
root.TreatUnmatchedTokensAsErrors = false;

Fin<ServerOptions> Options(ParseResult parsed) =>
    StrayTokens(parsed.UnmatchedTokens) is { } stray ? LanguageExt.Common.Error.New(stray) : ServerOptions.From(Configuration(parsed));

// Tokens that are neither an option above nor a "--Key value" setting are refused by name: a typo such as
// --prot 7001 must not start a server on the defaults.
static string? StrayTokens(IReadOnlyList<string> tokens)
{
    for (var i = 0; i < tokens.Count; i++)
    {
        var token = tokens[i];
        if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2) return $"unexpected argument '{token}'";
        var key = token[2..].Split('=', 2)[0];
        if (!ServerOptions.IsKnown(key)) return $"unknown option '{token.Split('=', 2)[0]}' (see --help; settings are --Section:Key value)";
        if (!token.Contains('=') && ++i >= tokens.Count) return $"option '{token}' needs a value";
    }
    return null;
}

IConfiguration Configuration(ParseResult parsed)
{
    var overrides = new Dictionary<string, string?>();
    if (parsed.GetValue(port) is { } p) overrides["Port"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
    if (parsed.GetValue(bind) is { } b) overrides["Bind"] = b;
    if (parsed.GetValue(data) is { } d) overrides["Data"] = d;
    if (parsed.GetValue(openRegistration) is { } o) overrides["OpenRegistration"] = o ? "true" : "false";
    return new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables("CHATROOM_")
        .AddCommandLine(parsed.UnmatchedTokens.ToArray())
        .AddInMemoryCollection(overrides)
        .Build();
}

root.Subcommands.Add(UsersCommand.Create(Options));
root.Subcommands.Add(HistoryCommand.Create(Options));
root.SetAction(async (parsed, _) =>
{
    var configuration = Configuration(parsed);
    var options = Options(parsed);
    if (options.Case is not ServerOptions settings)
    {
        Console.Error.WriteLine($"error: {options.Match(_ => "", e => e.Message)}");
        return 1;
    }
    // With a cluster the accounts and tokens live in its buckets; the first host imports the users file.
    ClusterAccounts? cluster = null;
    if (settings.Cluster.Enabled)
    {
        var joined = await ClusterAccounts.Open(settings.Cluster, settings.HashIterations);
        if (joined.Case is not ClusterAccounts c)
        {
            Console.Error.WriteLine($"error: {joined.Match(_ => "", e => e.Message)}");
            Console.Error.WriteLine("The server will not start without its cluster's accounts: start NATS (with JetStream, nats-server -js) or fix Cluster:Url.");
            return 1;
        }
        cluster = c;
    }
    await using var leavesCluster = cluster;
    if (cluster is not null && StartCluster(cluster, settings) is { } refused)
    {
        Console.Error.WriteLine($"error: {refused}");
        return 1;
    }
    UserStore? users = null;
    if (cluster is null)
    {
        var store = UserStore.Open(settings.UsersFile, settings.HashIterations);
        if (store.Case is not UserStore opened)
        {
            Console.Error.WriteLine($"error: {store.Match(_ => "", e => e.Message)}");
            Console.Error.WriteLine("The server will not start without a readable users file: fix or remove it.");
            return 1;
        }
        users = opened;
        // A first start at a terminal creates three demo accounts and shows their passwords once. A service's
        // output goes to the journal, a log, where no password may appear: it starts with no accounts instead.
        if (!users.Exists)
        {
            if (Microsoft.Extensions.Hosting.Systemd.SystemdHelpers.IsSystemdService())
                Console.WriteLine($"No accounts yet ({users.Path} does not exist): add them with chatroom-host users add <nick> --data {settings.Data}");
            else if (CreateDemoAccounts(users) is { } problem)
            {
                Console.Error.WriteLine($"error: {problem}");
                return 1;
            }
        }
    }

    ServerCertificate? certificate = null;
    if (settings.TlsEnabled)
    {
        var opened = ServerCertificate.Open(settings.Tls, settings.Data, TimeProvider.System);
        if (opened.Case is not ServerCertificate c)
        {
            Console.Error.WriteLine($"error: {opened.Match(_ => "", e => e.Message)}");
            return 1;
        }
        certificate = c;
    }

    // The room log is opened before anything listens: a locked, corrupt or unwritable one stops the server here,
    // naming the file, rather than letting it run and lose what it cannot write.
    IRoomLog? roomLog = null;
    if (settings.Cluster.Enabled)
    {
        var opened = JetStreamRoomLog.Open(settings.Cluster, TimeProvider.System, TimeSpan.FromSeconds(10));
        if (opened.Case is not JetStreamRoomLog log)
        {
            Console.Error.WriteLine($"error: {opened.Match(_ => "", e => e.Message)}");
            Console.Error.WriteLine("The server will not start without its cluster: start nats-server with JetStream (nats-server -js), or leave Cluster:Url empty to run alone.");
            return 1;
        }
        roomLog = log;
    }
    else if (settings.Log.Enabled)
    {
        var opened = SqliteRoomLog.Open(SqliteRoomLog.In(settings.Data), settings.Log.FsyncEachBatch);
        if (opened.Case is not SqliteRoomLog log)
        {
            Console.Error.WriteLine($"error: {opened.Match(_ => "", e => e.Message)}");
            Console.Error.WriteLine("The server will not start without its room log: fix or move the file, or run with --Log:Enabled false (no history).");
            return 1;
        }
        roomLog = log;
    }
    using var closesLog = roomLog;

    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
    {
        DisableDefaults = true,
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.Configuration.AddConfiguration(configuration);
    builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
    builder.Logging.AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss ";
    });
    // Log lines are written by the console logger's own thread from a bounded queue. When the reader of the
    // output is slow, lines are dropped rather than waited for (the room thread logs, and must never block),
    // and the logger writes how many it dropped once it catches up.
    builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o =>
    {
        o.QueueFullMode = Microsoft.Extensions.Logging.Console.ConsoleLoggerQueueFullMode.DropWrite;
        o.MaxQueueLength = settings.Limits.LogQueueLines;
    });
    builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
    // Ctrl+C and SIGTERM stop the host gracefully (DisableDefaults leaves the lifetime out).
    builder.Services.AddSingleton<IHostLifetime, Microsoft.Extensions.Hosting.Internal.ConsoleLifetime>();
    // Under systemd (a unit of Type=notify, deploy/chatroom-host.service) the host tells systemd when it is
    // listening (READY=1) and stopping, and writes its log lines in the journal's form (priority prefix, no
    // colours, no timestamps of its own). Elsewhere this changes nothing.
    builder.Services.AddSystemd();
    builder.Services.AddSingleton(settings);
    IAccounts accounts = cluster is not null ? cluster : users!;
    builder.Services.AddSingleton(new AccountsIn(accounts, cluster?.Tokens));
    builder.Services.AddSingleton(new TlsCertificate(certificate));
    builder.Services.AddSingleton(new RoomLogFile(roomLog));
    builder.Services.AddHostedService<ChatService>();
    try
    {
        await builder.Build().RunAsync();
        return 0;
    }
    catch (System.Net.Sockets.SocketException e)
    {
        Console.Error.WriteLine($"error: cannot listen on {settings.Bind}:{settings.Port}" + (settings.TlsEnabled ? $" and {settings.Tls.Port} (TLS)" : "") + $": {e.Message}" +
            (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse ? " (is another server running on that port?)" : ""));
        return 1;
    }
});

// The generic host handles Ctrl+C and SIGTERM itself (graceful BYE to everyone), so System.CommandLine must not.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

// The first host of a cluster finds its accounts bucket empty: it imports the data folder's users file if there is
// one (creating only absent keys, so two first hosts at once import each account once), else says how to add some.
// A cluster gets no demo accounts: several first hosts would each make and show their own.
static string? StartCluster(ClusterAccounts cluster, ServerOptions settings)
{
    if (!cluster.Current.Accounts.IsEmpty) return null;
    if (!File.Exists(settings.UsersFile))
    {
        Console.WriteLine($"No accounts yet in the {cluster.Where}: add them with chatroom-host users add <nick> --Cluster:Url {settings.Cluster.Url}");
        return null;
    }
    return UsersCommand.ImportFile(cluster, Path.GetFullPath(settings.UsersFile)).Match(
        message =>
        {
            Console.WriteLine(message);
            return (string?)null;
        },
        e => e.Message);
}

// Creates alice, bob and carol with random passwords, shown once; only their hashes are stored.
static string? CreateDemoAccounts(UserStore users)
{
    var accounts = new[] { "alice", "bob", "carol" }
        .Select(nick => (Nick: nick, Password: RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 12)))
        .ToList();
    var hashed = accounts.Select(a => new UserAccount(a.Nick, users.Hash(a.Password))).ToList();
    var created = users.Update(directory => hashed.Aggregate(FinSucc(directory), (d, a) => d.Bind(x => x.Add(a))));
    if (created.IsFail) return created.Match(_ => "", e => e.Message);
    Console.WriteLine($"Created {users.Path} with three demo accounts. Their passwords are shown only this once:");
    foreach (var (nick, password) in accounts) Console.WriteLine($"  {nick,-6} {password}");
    Console.WriteLine("Add your own with: chatroom-host users add <nick>");
    return null;
}
