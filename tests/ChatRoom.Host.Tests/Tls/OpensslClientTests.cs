using System.Diagnostics;

namespace ChatRoom.Host.Tests.Tls;

/// <summary>The README's promise: <c>openssl s_client -connect 127.0.0.1:PORT -quiet</c> is a working client.</summary>
public class OpensslClientTests
{
    [Fact]
    public async Task Openssl_s_client_logs_in_and_chats_over_tls()
    {
        await using var server = TestServer.Start(tls: true);
        await using var bob = await server.Login("bob");
        using var openssl = Process.Start(new ProcessStartInfo("openssl", $"s_client -connect 127.0.0.1:{server.TlsEndpoint.Port} -quiet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("openssl did not start");
        try
        {
            var lines = new System.Collections.Concurrent.BlockingCollection<string>();
            openssl.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } l) lines.Add(l);
            };
            openssl.BeginOutputReadLine();
            openssl.BeginErrorReadLine(); // certificate chatter goes to stderr; drained so it never blocks

            async Task Expect(string line)
            {
                var deadline = DateTime.UtcNow.AddSeconds(15);
                while (DateTime.UtcNow < deadline)
                {
                    if (lines.TryTake(out var got, 100))
                    {
                        if (got == line || (line == "HELLO" && got.StartsWith("HELLO chatroom 3 ", StringComparison.Ordinal))) return;
                    }
                    await Task.Yield();
                }
                throw new TimeoutException($"openssl never printed '{line}'");
            }

            await Expect("HELLO");
            await openssl.StandardInput.WriteAsync($"LOGIN alice {TestServer.Accounts["alice"]}\n");
            await openssl.StandardInput.FlushAsync();
            await Expect("WELCOME alice");
            await bob.Expect("JOINED 2 alice");
            await openssl.StandardInput.WriteAsync("SAY hello from openssl\n");
            await openssl.StandardInput.FlushAsync();
            await bob.Expect("MESSAGE 3 alice hello from openssl");
            await openssl.StandardInput.WriteAsync("QUIT\n");
            await openssl.StandardInput.FlushAsync();
            await Expect("BYE quit");
        }
        finally
        {
            if (!openssl.HasExited) openssl.Kill();
            await openssl.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
