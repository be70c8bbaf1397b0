using System.Net.Sockets;
using System.Text;

namespace ChatRoom.Host.Tests;

/// <summary>
/// The server as a systemd service (deploy/chatroom-host.service, Type=notify). There is no systemd here, so the
/// test plays its part: the server's parent is a program named "systemd" (how Microsoft.Extensions.Hosting.Systemd
/// recognises a service) and NOTIFY_SOCKET names a datagram socket the test reads, as systemd would.
/// </summary>
public sealed class SystemdTests
{
    [LinuxFact]
    public async Task Under_systemd_the_server_reports_ready_and_stopping_logs_in_journal_form_and_shows_no_password()
    {
        using var dir = new TempDir();
        var parent = dir.File("systemd");
        File.Copy("/bin/bash", parent);
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var notifyPath = dir.File("notify");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));

        using var host = HostProcess.StartUnder(parent, dir.Path, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath },
            "--HashIterations", "1000", "--port", "0", "--data", dir.File("data"));
        Assert.Contains("READY=1", await Next(notify));
        var endpoint = await host.Listening();
        await using (var client = await TestClient.Connect(endpoint))
            await client.ExpectHello();

        // The journal adds its own time stamps and reads the priority from the <N> prefix (6 = information).
        Assert.Contains("<6>ChatRoom.Server[0] listening on", host.Output);
        // A first start at a terminal prints three demo passwords; into the journal it prints none.
        Assert.DoesNotContain("passwords are shown", host.Output);
        Assert.Contains("No accounts yet", host.Output);

        Posix.Kill(host.ChildPid(), Posix.SigTerm);
        Assert.Contains("STOPPING=1", await Next(notify));
        Assert.Equal(0, await host.Exited());
    }

    private static async Task<string> Next(Socket socket)
    {
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
