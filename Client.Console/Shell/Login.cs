using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;
using ChatRoom.Client.Terminal;
using LanguageExt.Common;

namespace ChatRoom.Client.Shell;

/// <summary>
/// Gathers the nickname and password before connecting. The password comes from --password-file, else from
/// CHATROOM_PASSWORD, else from a prompt without echo (only when standard input is a terminal): never from the
/// command line, where other users could see it. Fails with the exit code as the error's code.
/// </summary>
internal static class Login
{
    public const string PasswordVariable = "CHATROOM_PASSWORD";

    public static Fin<(string Nick, string Password)> Gather(string? nick, FileInfo? passwordFile) =>
        GatherNick(nick).Bind(n => GatherPassword(n, passwordFile));

    /// <summary>The nickname: as given, else asked for at a terminal. It is checked with the password, or alone.</summary>
    public static Fin<string> GatherNick(string? nick)
    {
        if (nick is null && !Console.IsInputRedirected)
        {
            if (LinePrompt.Read("nickname: ", secret: false).Case is not string typed) return FinFail<string>(Error.New(ExitCodes.Ok, ""));
            nick = typed.Trim();
        }
        nick ??= "";
        if (nick.Length == 0) return FinFail<string>(Error.New(ExitCodes.Usage, LoginCheck.Required));
        return Syntax.IsValidNick(nick) ? FinSucc(nick) : FinFail<string>(Error.New(ExitCodes.Usage, ProtocolErrors.InvalidNick.Message));
    }

    /// <summary>The password for <paramref name="nick"/>: from the file, the environment, or a prompt without echo.</summary>
    public static Fin<(string Nick, string Password)> GatherPassword(string nick, FileInfo? passwordFile)
    {
        var canAsk = !Console.IsInputRedirected;
        string password;
        if (passwordFile is not null)
        {
            try
            {
                password = File.ReadLines(passwordFile.FullName).FirstOrDefault() ?? "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Refused($"cannot read the password file {passwordFile.FullName}: {e.Message}");
            }
        }
        else if (Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnvironment)
        {
            password = fromEnvironment;
        }
        else if (canAsk)
        {
            if (LinePrompt.Read($"password for {nick}: ", secret: true).Case is not string typed) return Cancelled;
            password = typed;
        }
        else
        {
            return Refused($"{LoginCheck.Required} (set {PasswordVariable} or use --password-file)");
        }

        var checkedLogin = LoginCheck.Check(nick, password);
        return checkedLogin.IsSucc
            ? FinSucc((nick, password))
            : Refused(checkedLogin.Match(_ => "", e => e.Message));
    }

    private static Fin<(string, string)> Refused(string message) =>
        FinFail<(string, string)>(Error.New(ExitCodes.Usage, message));

    private static readonly Fin<(string, string)> Cancelled = FinFail<(string, string)>(Error.New(ExitCodes.Ok, ""));
}
