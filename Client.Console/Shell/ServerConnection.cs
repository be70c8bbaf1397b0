using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Shell;

/// <summary>
/// The connection to the server, plain TCP or TLS: opens it, writes lines, and reads bytes into framed lines on a
/// loop of its own. Socket errors never escape: they become the reason given to the loop.
/// </summary>
internal sealed class ServerConnection : IDisposable
{
    private const int ReadBufferBytes = 4096;

    private readonly TcpClient _client;
    private readonly Stream _stream;

    private ServerConnection(TcpClient client, Stream stream)
    {
        _client = client;
        _stream = stream;
    }

    /// <summary>The TLS certificate's SHA-256 fingerprint, as trusted; null for plain TCP.</summary>
    public string? CertificateFingerprint { get; private init; }

    /// <summary>Why a connection could not be opened.</summary>
    public abstract record Problem(string Reason)
    {
        /// <summary>The server could not be reached, or the handshake failed.</summary>
        public sealed record Unreachable(string Reason) : Problem(Reason);

        /// <summary>The TLS server's certificate was not trusted; nothing was sent.</summary>
        public sealed record Untrusted(string Reason) : Problem(Reason);
    }

    /// <summary>
    /// Connects within <paramref name="timeout"/>, or says why it could not. With <paramref name="tls"/>, the TLS
    /// handshake follows and the certificate is judged by <see cref="CertificateTrust"/> before anything is sent.
    /// </summary>
    public static async Task<Either<Problem, ServerConnection>> Open(string host, int port, TimeSpan timeout, TlsSettings? tls = null)
    {
        var client = new TcpClient { NoDelay = true };
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await client.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            if (tls is null) return Right<Problem, ServerConnection>(new ServerConnection(client, client.GetStream()));
            return await Secure(client, host, port, tls, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            client.Dispose();
            return Left<Problem, ServerConnection>(new Problem.Unreachable($"no answer within {timeout.TotalSeconds:0} s"));
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            client.Dispose();
            return Left<Problem, ServerConnection>(new Problem.Unreachable(
                e is SocketException ? e.Message : $"TLS handshake failed: {e.InnerException?.Message ?? e.Message}"));
        }
    }

    private static async Task<Either<Problem, ServerConnection>> Secure(TcpClient client, string host, int port, TlsSettings tls, CancellationToken deadline)
    {
        X509Certificate2? presented = null;
        var systemTrusted = false;
        var stream = new SslStream(client.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
        {
            // Judged after the handshake, before anything is sent (below): here only what is needed is noted.
            if (certificate is not null) presented = new X509Certificate2(certificate);
            systemTrusted = errors == SslPolicyErrors.None;
            return certificate is not null;
        });
        try
        {
            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, deadline).ConfigureAwait(false);
        }
        catch
        {
            presented?.Dispose();
            stream.Dispose();
            throw;
        }

        var endpoint = $"{host}:{port}";
        var fingerprint = Fingerprint.Of(presented!.RawData);
        var verdict = tls.KnownHosts.Find(endpoint).Match<TrustVerdict>(
            Right: remembered => CertificateTrust.Decide(endpoint, fingerprint, systemTrusted, tls.Fingerprint, remembered, tls.KnownHosts.Path),
            Left: problem => tls.Fingerprint.IsSome || systemTrusted
                ? CertificateTrust.Decide(endpoint, fingerprint, systemTrusted, tls.Fingerprint, None, tls.KnownHosts.Path)
                : new TrustVerdict.Refused($"{problem}: the certificates you trusted cannot be checked"));
        if (verdict is TrustVerdict.Unknown)
        {
            var accept = tls.TrustNew || (tls.Ask is { } ask && await ask(endpoint, fingerprint, tls.KnownHosts.Path).ConfigureAwait(false));
            if (!accept)
                verdict = new TrustVerdict.Refused(tls.Ask is null
                    ? $"its certificate ({fingerprint}) is not known: give --fingerprint, or --trust-new to trust it on first use"
                    : $"its certificate ({fingerprint}) was not trusted");
            else if (tls.KnownHosts.Remember(endpoint, fingerprint).Case is string problem)
                verdict = new TrustVerdict.Refused(problem);
        }
        if (verdict is TrustVerdict.Refused refused)
        {
            presented.Dispose();
            stream.Dispose();
            client.Dispose();
            return Left<Problem, ServerConnection>(new Problem.Untrusted(refused.Why));
        }
        return Right<Problem, ServerConnection>(new ServerConnection(client, stream) { CertificateFingerprint = fingerprint });
    }

    /// <summary>Writes one line (LF added).</summary>
    public async Task<Option<string>> Send(string line)
    {
        try
        {
            await _stream.WriteAsync(LineFramer.ToWire(line)).ConfigureAwait(false);
            return None;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return Some(e.Message);
        }
    }

    /// <summary>
    /// Reads until the connection ends, handing each framed line (or framing error) to <paramref name="line"/>,
    /// then says why it ended.
    /// </summary>
    public async Task<string> ReadLines(Action<Fin<string>> line)
    {
        var framer = FramerState.Initial();
        var buffer = new byte[ReadBufferBytes];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0) return "the server closed the connection";
                var framed = LineFramer.Feed(framer, buffer.AsSpan(0, read));
                framer = framed.State;
                foreach (var l in framed.Lines) line(l);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return e.InnerException?.Message ?? e.Message;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}

/// <summary>
/// How to connect with TLS: a pinned fingerprint (<c>--fingerprint</c>), whether an unknown certificate is trusted
/// on first use without asking (<c>--trust-new</c>), and how to ask the person (null in a script).
/// </summary>
internal sealed record TlsSettings(Option<string> Fingerprint, bool TrustNew, KnownHosts KnownHosts, Func<string, string, string, Task<bool>>? Ask);
