using System.Security.Cryptography.X509Certificates;

namespace ChatRoom.Host.Tests.Tls;

/// <summary>The TLS port, end to end with a real SslStream client: one room for TLS and plaintext members.</summary>
public class TlsTests
{
    [Fact]
    public async Task Tls_and_plaintext_members_share_one_room()
    {
        await using var server = TestServer.Start(tls: true);
        await using var alice = await TestClient.ConnectTls(server.TlsEndpoint);
        await alice.ExpectHello();
        await server.Login("alice", alice);
        await using var bob = await server.Login("bob");
        await alice.Expect("JOINED 2 bob");

        await alice.Send("SAY hi from TLS");
        await bob.Expect("MESSAGE 3 alice hi from TLS");
        await alice.Expect("MESSAGE 3 alice hi from TLS");
        await bob.Send("WHISPER alice and back in clear");
        await alice.Expect("WHISPER bob alice and back in clear");
        await bob.Expect("WHISPER bob alice and back in clear"); // the sender's echo
        await alice.Send("QUIT done");
        await alice.Expect("BYE quit");
        await bob.Expect("LEFT 4 alice done");
    }

    [LinuxFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_self_signed_certificate_is_made_once_owner_only_and_its_fingerprint_is_logged()
    {
        var data = Path.Combine(Path.GetTempPath(), "chatroom-tests-" + Guid.NewGuid().ToString("N"));
        string first;
        await using (var server = TestServer.Start(tls: true, data: data))
        {
            await using var client = await TestClient.ConnectTls(server.TlsEndpoint);
            await client.ExpectHello();
            first = Fingerprint(client.ServerCertificate!);
            Assert.Equal(first, server.Certificate!.Fingerprint);
            await server.Logs.WaitFor(l => l.Contains("(TLS), certificate " + first), "with the fingerprint");
            await server.Logs.WaitFor(l => l.Contains("made a self-signed TLS certificate"), "saying it was made");

            foreach (var file in (string[])["tls-certificate.pem", "tls-key.pem"])
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, file)));
            var names = client.ServerCertificate!.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Equal(["localhost"], names.EnumerateDnsNames());
            Assert.Equal(["127.0.0.1", "::1"], names.EnumerateIPAddresses().Select(a => a.ToString()));

            // Copy the files out: the test server deletes its data folder when it stops.
            Directory.CreateDirectory(data + "-kept");
            foreach (var file in Directory.GetFiles(data)) File.Copy(file, Path.Combine(data + "-kept", Path.GetFileName(file)));
        }
        Directory.Move(data + "-kept", data);

        await using (var again = TestServer.Start(tls: true, data: data))
        {
            await using var client = await TestClient.ConnectTls(again.TlsEndpoint);
            await client.ExpectHello();
            Assert.Equal(first, Fingerprint(client.ServerCertificate!));
            await again.Logs.WaitFor(l => l.Contains("(TLS), certificate " + first), "with the same fingerprint");
            Assert.DoesNotContain(again.Logs.Lines, l => l.Contains("made a self-signed"));
        }
    }

    [Fact]
    public async Task Plaintext_sent_to_the_tls_port_is_dropped_and_the_room_goes_on()
    {
        await using var server = TestServer.Start(tls: true);
        await using var confused = await TestClient.Connect(server.TlsEndpoint);
        await confused.Send("LOGIN alice alice pass");
        Assert.Null(await confused.Next());
        await server.Logs.WaitFor(l => l.Contains("TLS handshake failed"), "about the failed handshake");

        await using var alice = await TestClient.ConnectTls(server.TlsEndpoint);
        await alice.ExpectHello();
        await server.Login("alice", alice);
    }

    [Fact]
    public async Task A_client_that_never_finishes_its_handshake_is_closed_at_the_login_timeout()
    {
        await using var server = TestServer.Start(l => l with { LoginTimeoutSeconds = 0.5 }, tls: true);
        await using var silent = await TestClient.Connect(server.TlsEndpoint);
        Assert.Null(await silent.Next(TimeSpan.FromSeconds(10)));
        await server.Logs.WaitFor(l => l.Contains("login timeout"), "about the timeout");
    }

    private static string Fingerprint(X509Certificate2 certificate) =>
        ChatRoom.Core.Protocol.Fingerprint.Of(certificate.RawData);
}
