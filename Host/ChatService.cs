using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatRoom.Host;

/// <summary>Runs the <see cref="ChatServer"/> inside the generic host, which handles Ctrl+C and SIGTERM.</summary>
public sealed class ChatService(ServerOptions options, AccountsIn accounts, ILoggerFactory logs, TlsCertificate tls, RoomLogFile roomLog) : IHostedService
{
    private readonly ChatServer _server = new(options, accounts.Accounts, logs, certificate: tls.Certificate, roomLog: roomLog.Log, tokens: accounts.Tokens);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (accounts.Accounts is ClusterAccounts cluster) cluster.Log = logs.CreateLogger("ChatRoom.Accounts");
        _server.Start();
        LogNicknameRules(logs.CreateLogger<ChatService>());
        return Task.CompletedTask;
    }

    /// <summary>Once per start: which Unicode data checks nicknames, or that non-ASCII ones are refused without it.</summary>
    private static void LogNicknameRules(ILogger log)
    {
        if (ChatRoom.Core.Names.IcuSpoof.Instance.Case is ChatRoom.Core.Names.IcuSpoof icu)
            log.LogInformation("nicknames checked for look-alikes with ICU {Icu} (Unicode {Unicode})", icu.IcuVersion, icu.UnicodeVersion);
        else
            log.LogWarning("{Problem}: only ASCII nicknames are accepted", ChatRoom.Core.Names.IcuSpoof.LoadProblem);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(TimeSpan.FromSeconds(4));
}

/// <summary>The room log, opened before the host starts (null when <c>Log:Enabled</c> is false: the room keeps its events in memory).</summary>
public sealed record RoomLogFile(IRoomLog? Log);

/// <summary>The TLS port's certificate, opened before the host starts (null when TLS is not served).</summary>
public sealed record TlsCertificate(ServerCertificate? Certificate);

/// <summary>Where the accounts and the tokens live: the data folder's files (<see cref="Tokens"/> null), or the cluster's buckets.</summary>
public sealed record AccountsIn(IAccounts Accounts, TokensFactory? Tokens);
