using ChatRoom.Core.Client;
using ChatRoom.Client.Shell;

namespace ChatRoom.Client.FullScreen;

/// <summary>
/// From the command line to the full-screen mode. The login area starts with --host, --port and --user, and
/// with the password from --password-file or CHATROOM_PASSWORD if given (it is never asked for at a prompt: the
/// password field is the prompt). Kept apart from Program.cs so that file only branches here.
/// </summary>
internal static class FullScreenStart
{
    public static int Run(string host, int? port, string? nick, FileInfo? passwordFile, bool tls, string? fingerprint,
        bool trustNew, bool remember, FileInfo? tokenFile, bool trace, bool bell)
    {
        var password = "";
        if (passwordFile is not null)
        {
            try
            {
                password = File.ReadLines(passwordFile.FullName).FirstOrDefault() ?? "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"chatroom: cannot read the password file {passwordFile.FullName}: {e.Message}");
                return ExitCodes.Usage;
            }
        }
        else if (Environment.GetEnvironmentVariable(Login.PasswordVariable) is { Length: > 0 } fromEnvironment)
        {
            password = fromEnvironment;
        }
        var settings = new FullScreenSettings(host, port ?? (tls ? 7778 : 7777), nick ?? "", password, bell, trace)
        {
            // An unknown certificate is asked about in a dialog (the shell sets Ask), unless --trust-new.
            Tls = tls ? new TlsSettings(Optional(fingerprint).Bind(CertificateTrust.Normalize), trustNew, KnownHosts.Default(), null) : null,
            Remember = remember || tokenFile is not null,
            TokenPath = tokenFile?.FullName,
        };
        return FullScreenApp.Run(settings);
    }
}
