using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatRoom.Host;

namespace ChatRoom.LoadTest;

/// <summary>
/// Issue 10's resume benchmark: N users holding resume tokens come back after a server restart, while other
/// addresses flood the server with password logins at the default hash cost. Three steps, run by
/// bench/resume.sh around two server starts:
/// <list type="number">
/// <item><see cref="Seed"/> writes a token file in the server's format (only SHA-256s, each bound to its account's
/// password stamp, so the users file must be in place first) and the tokens beside it (0600): the bootstrap, because issuing 10,000 tokens through password logins at the default cost would take
/// more than half an hour of hashing.</item>
/// <item><see cref="Renew"/>, against the first server: every user RESUMEs with the seeded token and asks the
/// server for a fresh one (TOKEN), which the server draws and stores; the seeded ones are then revoked.</item>
/// <item><see cref="Resume"/>, against the restarted server: the password flood starts, then all N RESUME at once
/// with the tokens the first server issued; measured until the last WELCOME.</item>
/// </list>
/// </summary>
public static class TokenScenarios
{
    /// <summary>Members come from 127.0.1.1 to 127.0.1.200 (50 each at 10,000), the flood from 127.0.0.2 upwards.</summary>
    private static IPAddress MemberSource(int i) => new([127, 0, 1, (byte)(1 + i % 200)]);
    private static IPAddress FloodSource(int w) => new([127, 0, 0, (byte)(2 + w % 250)]);

    public static int Seed(string data, string prefix, int count, string tokensFile, TextWriter log)
    {
        var now = DateTimeOffset.UtcNow;
        var lines = new List<string>(count);
        var usersFile = Path.Combine(data, "users.json");
        var path = TokenStore.NextTo(usersFile);
        var opened = UserStore.Open(usersFile, ChatRoom.Core.Auth.PasswordHash.MinIterations);
        if (opened.Case is not UserStore store) return Fail(log, opened.Match(_ => "", e => e.Message));
        var accounts = store.Current;
        var missing = Enumerable.Range(0, count).Select(i => prefix + i).FirstOrDefault(n => accounts.Find(n).IsNone);
        if (missing is not null) return Fail(log, $"no account {missing} in {usersFile}: make the accounts first");
        var written = SecretFile.Replace(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream);
            json.WriteStartObject();
            json.WriteNumber("version", TokenStore.FileVersion);
            json.WriteStartArray("tokens");
            for (var i = 0; i < count; i++)
            {
                var token = Base64Url(RandomNumberGenerator.GetBytes(TokenStore.TokenBytes));
                lines.Add($"{prefix}{i} {token}");
                json.WriteStartObject();
                json.WriteString("hash", TokenStore.HashOf(token));
                json.WriteString("nick", prefix + i);
                json.WriteString("issued", now);
                json.WriteString("expires", now.AddDays(30));
                json.WriteString("stamp", accounts.Find(prefix + i).Map(a => a.Hash.Stamp()).IfNone(""));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
        if (written.IsFail) return Fail(log, written.Match(_ => "", e => e.Message));
        WriteTokens(tokensFile, lines);
        log.WriteLine($"  seeded {count} tokens in {path}");
        return 0;
    }

    /// <summary>Every user RESUMEs with its token, asks for a new one, and quits; the file then holds the new tokens.</summary>
    public static async Task<Report> Renew(Target target, string tokensFile, int concurrency, TextWriter log)
    {
        var users = ReadTokens(tokensFile);
        var renewed = new string?[users.Count];
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(concurrency);
        using var deadline = new CancellationTokenSource(target.Timeout);
        var failures = 0;
        await Task.WhenAll(users.Select(async (user, i) =>
        {
            await gate.WaitAsync(deadline.Token);
            try
            {
                renewed[i] = await RenewOne(target.Endpoint, MemberSource(i), user.Nick, user.Token, deadline.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidDataException)
            {
                if (Interlocked.Increment(ref failures) <= 3) log.WriteLine($"  {user.Nick}: {e.Message}");
            }
            finally
            {
                gate.Release();
            }
        }));
        WriteTokens(tokensFile, users.Select((u, i) => $"{u.Nick} {renewed[i] ?? u.Token}"));
        return new Report("tokens-renew", target.Wire.Name).Set("users", users.Count).Set("renewed", renewed.Count(t => t is not null))
            .Set("failures", failures).Set("seconds", clock.Elapsed.TotalSeconds);
    }

    private static async Task<string> RenewOne(IPEndPoint endpoint, IPAddress source, string nick, string token, CancellationToken cancel)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(endpoint, cancel);
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"RESUME {nick} {token}\nTOKEN\n"), cancel);
        for (var lines = 0; lines < 100_000; lines++)
        {
            var line = await reader.ReadLineAsync(cancel) ?? throw new IOException("closed before TOKEN");
            if (line.StartsWith("DENIED", StringComparison.Ordinal) || line.StartsWith("ERROR", StringComparison.Ordinal))
                throw new InvalidDataException(line);
            if (!line.StartsWith("TOKEN ", StringComparison.Ordinal)) continue;
            await stream.WriteAsync("QUIT\n"u8.ToArray(), cancel);
            return line.Split(' ')[1];
        }
        throw new InvalidDataException("no TOKEN");
    }

    /// <summary>
    /// The measured step: <paramref name="floodWorkers"/> loops log in with passwords (the accounts after the N
    /// token holders, at the default cost) and quit, from their own addresses; once the flood has filled the
    /// password checks, all N users RESUME at once (at most <paramref name="concurrency"/> handshakes in flight)
    /// and the time to the last WELCOME is the figure.
    /// </summary>
    public static async Task<Report> Resume(Target target, string tokensFile, int concurrency, int floodWorkers, TextWriter log)
    {
        var users = ReadTokens(tokensFile);
        var report = new Report("tokens-resume", target.Wire.Name).Set("users", users.Count).Set("concurrency", concurrency)
            .Set("flood_workers", floodWorkers);
        long floodLogins = 0, floodBusy = 0, floodFailures = 0;
        using var floodStop = new CancellationTokenSource();
        var flood = Enumerable.Range(0, floodWorkers).Select(w => Task.Run(async () =>
        {
            var nick = target.Prefix + (users.Count + w);
            while (!floodStop.IsCancellationRequested)
            {
                try
                {
                    await using var client = await LoadClient.Connect(target.Endpoint, target.Wire, -1, nick, 64 * 1024, CancellationToken.None, FloodSource(w));
                    await client.Login(target.Wire.Login(nick, target.Password));
                    await client.LoggedIn.WaitAsync(TimeSpan.FromSeconds(60));
                    Interlocked.Add(ref floodBusy, client.BusyAnswers);
                    Interlocked.Increment(ref floodLogins);
                    await client.Quit();
                    var closeBy = Stopwatch.StartNew();
                    while (!client.Closed && closeBy.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(5);
                }
                catch (Exception e) when (e is IOException or TimeoutException or SocketException)
                {
                    Interlocked.Increment(ref floodFailures);
                    await Task.Delay(100);
                }
            }
        })).ToList();

        // The flood is on once the first password logins went through (each took a whole default-cost check).
        var warm = Stopwatch.StartNew();
        while (Interlocked.Read(ref floodLogins) < Math.Min(2, floodWorkers) && warm.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
        log.WriteLine($"  password flood running ({Interlocked.Read(ref floodLogins)} logins in {warm.Elapsed.TotalSeconds:0.0} s); {users.Count} users resume");
        var floodBefore = Interlocked.Read(ref floodLogins);
        var cpuBefore = target.ServerPid is { } p0 ? ProcStats.CpuSeconds(p0) : double.NaN;

        var clients = new LoadClient?[users.Count];
        var back = new long[users.Count];
        var refused = 0;
        var failures = 0;
        using var gate = new SemaphoreSlim(concurrency);
        using var deadline = new CancellationTokenSource(target.Timeout);
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(users.Select(async (user, i) =>
        {
            await gate.WaitAsync(deadline.Token);
            try
            {
                var client = await LoadClient.Connect(target.Endpoint, target.Wire, i, user.Nick, 64 * 1024, deadline.Token, MemberSource(i));
                clients[i] = client;
                // --protocol chatroom3: asks for protocol 3 first, whose members of a large room get PRESENCE lines.
                var ask = target.Wire.Name == "chatroom3" ? "PROTOCOL 3\n" : "";
                await client.Login(Encoding.UTF8.GetBytes($"{ask}RESUME {user.Nick} {user.Token}\n"));
                await client.LoggedIn.WaitAsync(deadline.Token);
                back[i] = Stopwatch.GetTimestamp();
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                if (e.Message.Contains("refused", StringComparison.Ordinal)) Interlocked.Increment(ref refused);
                else Interlocked.Increment(ref failures);
                if (refused + failures <= 3) log.WriteLine($"  {user.Nick}: {e.Message}");
            }
            finally
            {
                gate.Release();
            }
        }));
        var ended = Stopwatch.GetTimestamp();
        var floodDuring = Interlocked.Read(ref floodLogins) - floodBefore;
        var cpu = target.ServerPid is { } p1 ? ProcStats.CpuSeconds(p1) - cpuBefore : double.NaN;
        floodStop.Cancel();
        await Task.WhenAll(flood);

        var latencies = back.Where(t => t > 0).Select(t => (t - start) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        var allBack = latencies.Length == users.Count ? latencies[^1] / 1000 : double.NaN;
        var still = clients.Count(c => c is { Closed: false });
        // What the room sent the returning users meanwhile: each newcomer's USERS and everyone's JOINED lines.
        var receivedMiB = clients.Sum(c => c?.BytesReceived ?? 0) / (1024.0 * 1024.0);
        foreach (var client in clients) if (client is not null) await client.Quit();
        await Task.Delay(200);
        foreach (var client in clients) if (client is not null) await client.DisposeAsync();
        return report
            .Set("back", latencies.Length)
            .Set("refused", refused)
            .Set("failures", failures)
            .Set("all_back_sec", allBack)
            .Set("window_sec", (ended - start) / (double)Stopwatch.Frequency)
            .Set("half_back_sec", latencies.Length > 0 ? latencies[latencies.Length / 2] / 1000 : double.NaN)
            .Set("p99_back_sec", latencies.Length > 0 ? latencies[(int)(latencies.Length * 0.99)] / 1000 : double.NaN)
            .Set("still_connected", still)
            .Set("received_mib", receivedMiB)
            .Set("flood_logins_during", floodDuring)
            .Set("flood_busy_answers", Interlocked.Read(ref floodBusy))
            .Set("flood_failures", Interlocked.Read(ref floodFailures))
            .Set("server_cpu_sec", cpu);
    }

    private static List<(string Nick, string Token)> ReadTokens(string file) =>
        File.ReadLines(file).Select(l => l.Split(' ')).Where(p => p.Length == 2).Select(p => (p[0], p[1])).ToList();

    private static void WriteTokens(string file, IEnumerable<string> lines) =>
        SecretFile.Replace(file, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            foreach (var line in lines) writer.WriteLine(line);
        }).IfFail(e => throw new IOException(e.Message));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static int Fail(TextWriter log, string message)
    {
        log.WriteLine($"error: {message}");
        return 1;
    }
}

/// <summary>What one token look-up costs the room's thread: the server's own code, timed in this process.</summary>
public static class TokenCheckCost
{
    /// <summary>
    /// Opens the token store of <paramref name="data"/> (as the server does) and times <paramref name="checks"/>
    /// look-ups: half with the holders' real tokens, half with random ones (what a guesser sends).
    /// </summary>
    public static Report Measure(string data, string tokensFile, int checks)
    {
        var users = UserStore.Open(Path.Combine(data, "users.json"), 1000).IfFail(e => throw new IOException(e.Message));
        var log = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        using var store = new TokenStore(TokenStore.NextTo(users.Path), () => users.Current, _ => { }, TimeProvider.System, log);
        var holders = File.ReadLines(tokensFile).Select(l => l.Split(' ')).Where(p => p.Length == 2).ToArray();
        var random = Enumerable.Range(0, 1000).Select(_ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')).ToArray();
        var id = new ChatRoom.Core.Room.ConnectionId(1);
        ChatRoom.Core.Room.Effect.CheckToken Make(int i) => i % 2 == 0
            ? new(id, holders[i % holders.Length][0], new ChatRoom.Core.Protocol.Secret(holders[i % holders.Length][1]))
            : new(id, holders[i % holders.Length][0], new ChatRoom.Core.Protocol.Secret(random[i % random.Length]));
        var found = 0;
        for (var i = 0; i < 2000; i++) store.Check(Make(i)); // warm up
        var good = Stopwatch.StartNew();
        for (var i = 0; i < checks; i += 2) if (store.Check(Make(i)).Expires.IsSome) found++;
        good.Stop();
        var bad = Stopwatch.StartNew();
        for (var i = 1; i < checks; i += 2) if (store.Check(Make(i)).Expires.IsSome) found++;
        bad.Stop();
        return new Report("tokens-check-cost", "chatroom").Set("tokens_on_file", store.Count).Set("checks", checks)
            .Set("found", found)
            .Set("us_per_good_token", good.Elapsed.TotalMicroseconds / (checks / 2))
            .Set("us_per_random_token", bad.Elapsed.TotalMicroseconds / (checks / 2));
    }
}
