using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LanguageExt.Common;
using Microsoft.Extensions.Logging;

namespace ChatRoom.Host;

/// <summary>
/// The certificate of the TLS port: the configured PEM files (for example from an ACME client), or else a
/// self-signed one that the server makes in its data folder on first start (ECDSA P-256, files 0600) and reuses
/// afterwards. The files are looked at again at most once a second, at a handshake: a changed certificate is
/// used from the next handshake on, without a restart; one that cannot be read is logged and the last good
/// one stays in use.
/// </summary>
public sealed class ServerCertificate
{
    private static readonly TimeSpan LookAgainAfter = TimeSpan.FromSeconds(1);

    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private SslStreamCertificateContext _context;
    private (DateTime, long, DateTime, long) _stamp;
    private DateTimeOffset _lookedAt;

    private ServerCertificate(string certificatePath, string keyPath, Loaded loaded, bool made, TimeProvider clock)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        Made = made;
        _clock = clock;
        _context = loaded.Context;
        _stamp = loaded.Stamp;
        Fingerprint = loaded.Fingerprint;
        _lookedAt = clock.GetUtcNow();
    }

    /// <summary>The SHA-256 fingerprint of the certificate in use, as <c>SHA256:AB:CD:...</c> (openssl's form, prefixed).</summary>
    public string Fingerprint { get; private set; }

    /// <summary>Where the certificate comes from, for the log.</summary>
    public string Source => _certificatePath;

    /// <summary>True when <see cref="Open"/> made the self-signed certificate (it did not exist).</summary>
    public bool Made { get; }

    /// <summary>Where a changed certificate is reported (the server sets its own logger).</summary>
    public ILogger Log { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>
    /// Opens the configured certificate, or the self-signed one in <paramref name="dataFolder"/>, making it if it
    /// does not exist. Errors name the file.
    /// </summary>
    public static Fin<ServerCertificate> Open(TlsOptions options, string dataFolder, TimeProvider clock)
    {
        var configured = options.Certificate.Length > 0;
        var certificate = configured ? Path.GetFullPath(options.Certificate) : Path.GetFullPath(Path.Combine(dataFolder, "tls-certificate.pem"));
        var key = configured ? Path.GetFullPath(options.Key) : Path.GetFullPath(Path.Combine(dataFolder, "tls-key.pem"));
        var make = !configured && !File.Exists(certificate);
        if (make)
        {
            var made = MakeSelfSigned(certificate, key, options.Names, clock);
            if (made.IsFail) return made.Match(_ => default(Fin<ServerCertificate>), e => FinFail<ServerCertificate>(e));
        }
        return Load(certificate, key).Map(loaded => new ServerCertificate(certificate, key, loaded, make, clock));
    }

    /// <summary>The certificate for a handshake starting now: the files are looked at again if a second has passed.</summary>
    public SslStreamCertificateContext Current
    {
        get
        {
            var now = _clock.GetUtcNow();
            lock (_gate)
            {
                if (now - _lookedAt < LookAgainAfter) return _context;
                _lookedAt = now;
                var stamp = Stamp(_certificatePath, _keyPath);
                if (stamp == _stamp) return _context;
                _stamp = stamp; // a bad file is reported once, not at every handshake
                Load(_certificatePath, _keyPath).Match(
                    loaded =>
                    {
                        _context = loaded.Context;
                        _stamp = loaded.Stamp;
                        Fingerprint = loaded.Fingerprint;
                        Log.LogInformation("TLS certificate {Path} changed: now using {Fingerprint}", _certificatePath, Fingerprint);
                    },
                    error => Log.LogError("TLS certificate changed but cannot be used, keeping the previous one: {Error}", error.Message));
                return _context;
            }
        }
    }

    /// <summary>The form of a fingerprint that <c>chatroom --fingerprint</c> and the server's log use.</summary>
    public static string FingerprintOf(X509Certificate2 certificate) =>
        Core.Protocol.Fingerprint.Of(certificate.RawData);

    private sealed record Loaded(SslStreamCertificateContext Context, string Fingerprint, (DateTime, long, DateTime, long) Stamp);

    private static Fin<Loaded> Load(string certificatePath, string keyPath)
    {
        try
        {
            var stamp = Stamp(certificatePath, keyPath);
            using var pemCertificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // Linux OpenSSL needs nothing more; elsewhere an ephemeral key cannot serve TLS, so export and re-import.
            var leaf = OperatingSystem.IsLinux() ? new X509Certificate2(pemCertificate) : X509CertificateLoader.LoadPkcs12(pemCertificate.Export(X509ContentType.Pkcs12), null);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certificatePath);
            var intermediates = new X509Certificate2Collection();
            foreach (var c in chain.Skip(1)) intermediates.Add(c);
            var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
            return new Loaded(context, FingerprintOf(leaf), stamp);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Error.New($"cannot load TLS certificate {certificatePath} with key {keyPath}: {e.Message}");
        }
    }

    private static Fin<Unit> MakeSelfSigned(string certificatePath, string keyPath, string names, TimeProvider clock)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=chatroom on {Dns.GetHostName()}", key, HashAlgorithmName.SHA256);
        var alternatives = new SubjectAlternativeNameBuilder();
        alternatives.AddDnsName("localhost");
        alternatives.AddIpAddress(IPAddress.Loopback);
        alternatives.AddIpAddress(IPAddress.IPv6Loopback);
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPAddress.TryParse(name, out var ip)) alternatives.AddIpAddress(ip);
            else alternatives.AddDnsName(name);
        }
        request.CertificateExtensions.Add(alternatives.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = clock.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        // The key first: a certificate without its key would be taken for a finished pair at the next start.
        return SecretFile.Replace(keyPath, s => s.Write(System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem())))
            .Bind(_ => SecretFile.Replace(certificatePath, s => s.Write(System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()))));
    }

    private static (DateTime, long, DateTime, long) Stamp(string certificatePath, string keyPath)
    {
        var c = new FileInfo(certificatePath);
        var k = new FileInfo(keyPath);
        return (c.Exists ? c.LastWriteTimeUtc : default, c.Exists ? c.Length : -1, k.Exists ? k.LastWriteTimeUtc : default, k.Exists ? k.Length : -1);
    }
}
