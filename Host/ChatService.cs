using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatRoom.Host;

/// <summary>Runs the <see cref="ChatServer"/> inside the generic host, which handles Ctrl+C and SIGTERM.</summary>
public sealed class ChatService(ServerOptions options, UserStore users, ILoggerFactory logs, TlsCertificate tls) : IHostedService
{
    private readonly ChatServer _server = new(options, users, logs, certificate: tls.Certificate);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(TimeSpan.FromSeconds(4));
}

/// <summary>The TLS port's certificate, opened before the host starts (null when TLS is not served).</summary>
public sealed record TlsCertificate(ServerCertificate? Certificate);
