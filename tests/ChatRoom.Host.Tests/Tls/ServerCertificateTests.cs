using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;

namespace ChatRoom.Host.Tests.Tls;

/// <summary>Configured PEM files: used as given, and a changed pair is picked up without a restart.</summary>
public sealed class ServerCertificateTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatroom-cert-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public ServerCertificateTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string CertificatePath => Path.Combine(_folder, "fullchain.pem");
    private string KeyPath => Path.Combine(_folder, "privkey.pem");

    [Fact]
    public void Configured_files_are_used_and_a_changed_pair_is_used_a_second_later()
    {
        var first = WritePair("CN=first");
        var certificate = Open();
        Assert.Equal(first, certificate.Fingerprint);
        Assert.False(certificate.Made);
        Assert.False(File.Exists(Path.Combine(_folder, "tls-certificate.pem")));

        var second = WritePair("CN=second");
        Assert.Equal(first, Leaf(certificate)); // looked at again at most once a second
        _clock.Advance(TimeSpan.FromSeconds(1.1));
        Assert.Equal(second, Leaf(certificate));
        Assert.Equal(second, certificate.Fingerprint);
    }

    [Fact]
    public void A_broken_replacement_keeps_the_last_good_certificate_and_is_reported()
    {
        var good = WritePair("CN=good");
        var certificate = Open();
        var reported = new List<string>();
        certificate.Log = new ListLogger(reported);

        File.WriteAllText(CertificatePath, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        _clock.Advance(TimeSpan.FromSeconds(1.1));
        Assert.Equal(good, Leaf(certificate));
        _clock.Advance(TimeSpan.FromSeconds(1.1));
        Assert.Equal(good, Leaf(certificate));
        Assert.Single(reported, l => l.Contains("cannot be used, keeping the previous one") && l.Contains(CertificatePath));
    }

    [Fact]
    public void A_missing_configured_file_is_an_error_naming_it()
    {
        var opened = ServerCertificate.Open(new TlsOptions { Certificate = CertificatePath, Key = KeyPath }, _folder, _clock);
        Assert.True(opened.IsFail);
        Assert.Contains(CertificatePath, opened.Match(_ => "", e => e.Message));
    }

    private ServerCertificate Open() =>
        ServerCertificate.Open(new TlsOptions { Certificate = CertificatePath, Key = KeyPath }, _folder, _clock)
            .IfFail(e => throw new InvalidOperationException(e.Message));

    private static string Leaf(ServerCertificate certificate) => ServerCertificate.FingerprintOf(certificate.Current.TargetCertificate);

    private string WritePair(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(CertificatePath, made.ExportCertificatePem());
        return ServerCertificate.FingerprintOf(made);
    }

    private sealed class ListLogger(List<string> lines) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) => lines.Add(formatter(state, exception));
    }
}
