using ChatRoom.Core.Client;
using System.CommandLine;
using System.Text;
using ChatRoom.Client;
using ChatRoom.Client.Shell;
using LanguageExt.Common;

var host = new System.CommandLine.Option<string>("--host")
{
    Description = "Server address or name.",
    DefaultValueFactory = _ => "127.0.0.1",
};
var port = new System.CommandLine.Option<int?>("--port")
{
    Description = "Server port. Default 7777, or 7778 with --tls.",
};
port.Validators.Add(result =>
{
    // Only a number can be out of range; a word is already refused by the parser with its own message.
    if (result.Tokens is [{ } token]
        && int.TryParse(token.Value, System.Globalization.CultureInfo.InvariantCulture, out var number)
        && number is < 1 or > 65535)
        result.AddError("--port must be between 1 and 65535");
});
var user = new System.CommandLine.Option<string?>("--user", "-u")
{
    Description = "Your nickname. Asked for when missing and standard input is a terminal.",
};
var passwordFile = new System.CommandLine.Option<FileInfo?>("--password-file")
{
    Description = "Read the password from the first line of this file. Otherwise it comes from the environment " +
                  "variable CHATROOM_PASSWORD, or is asked for without echo. It is never taken on the command line.",
};
var remember = new System.CommandLine.Option<bool>("--remember")
{
    Description = "Stay logged in: after a password login keep a login token (a file of mode 0600 under " +
                  "$XDG_CONFIG_HOME/chatroom or ~/.config/chatroom, one per server and nickname) and log in with it next " +
                  "time, asking for the password only if it is refused. /logout revokes and deletes it.",
};
var tokenFile = new System.CommandLine.Option<FileInfo?>("--token-file")
{
    Description = "Like --remember, with the login token kept in this file (for scripts). A token is never taken on the command line.",
};
var batch = new System.CommandLine.Option<bool>("--batch")
{
    Description = "Script mode even when standard input is a terminal: each input line is a message or a /command.",
};
var json = new System.CommandLine.Option<bool>("--json")
{
    Description = "Script mode, printing one JSON object per event on standard output (and nothing else there).",
};
var tls = new System.CommandLine.Option<bool>("--tls")
{
    Description = "Connect with TLS. The certificate must be vouched for by the system's trust store, match --fingerprint, " +
                  "or be trusted on first use (asked in a terminal, --trust-new in a script) and then stay the same.",
};
var fingerprint = new System.CommandLine.Option<string?>("--fingerprint")
{
    Description = "With --tls: the server certificate's SHA-256 fingerprint (SHA256:AB:CD:..., as the server's log prints it); nothing else is trusted.",
};
fingerprint.Validators.Add(result =>
{
    if (result.Tokens is [{ } token] && ChatRoom.Core.Client.CertificateTrust.Normalize(token.Value).IsNone)
        result.AddError("--fingerprint must be a SHA-256 fingerprint: SHA256: and 64 hexadecimal digits (colons optional)");
});
var trustNew = new System.CommandLine.Option<bool>("--trust-new")
{
    Description = "With --tls: trust a server never seen before without asking, and remember its certificate (a changed one is still refused).",
};
var reconnect = new System.CommandLine.Option<bool>("--reconnect")
{
    Description = "In a script: when the connection drops or the server restarts, reconnect (up to 12 attempts, waits from 0.5 s " +
                  "doubling to 30 s, with jitter), log in again with the token or the password, and show only what was missed. " +
                  "Interactive use always does this; without it a script exits with code 3.",
};
var strict = new System.CommandLine.Option<bool>("--strict")
{
    Description = "In a script: leave at the first line refused (by the client, or by the server with an ERROR) and exit with code 6.",
};
var trace = new System.CommandLine.Option<bool>("--trace")
{
    Description = "Show every protocol line sent (> ) and received (< ) and every state change (# ); the password is masked.",
};

var fullScreen = new System.CommandLine.Option<bool>("--full-screen", "--tui")
{
    Description = "Full-screen mode in a terminal: login area, transcript, who is online, compose box, status line. " +
                  "Scripts, pipes, --batch and --json keep the line mode.",
};
var noBell = new System.CommandLine.Option<bool>("--no-bell")
{
    Description = "Full-screen mode: do not ring the terminal bell for whispers and mentions of your nickname.",
};

var root = new RootCommand(
    $"""
    chatroom: chat in a ChatRoom server, for people (in a terminal) and for scripts (standard input not a terminal,
    or --batch / --json). Type /help once connected for the commands.

    Exit codes:
    {string.Join(Environment.NewLine, ExitCodes.All.Select(c => $"  {c.Code}  {c.Meaning}"))}
    """)
{
    host, port, user, passwordFile, remember, tokenFile, batch, json, tls, fingerprint, trustNew, reconnect, strict, trace, fullScreen, noBell,
};

root.SetAction(async (parsed, _) =>
{
    Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    var interactive = !(parsed.GetValue(batch) || parsed.GetValue(json) || Console.IsInputRedirected);
    if (!parsed.GetValue(tls) && (parsed.GetValue(fingerprint) is not null || parsed.GetValue(trustNew)))
    {
        Console.Error.WriteLine("chatroom: --fingerprint and --trust-new go with --tls");
        return ExitCodes.Usage;
    }
    if (parsed.GetValue(fullScreen))
    {
        if (interactive && !Console.IsOutputRedirected)
            return ChatRoom.Client.FullScreen.FullScreenStart.Run(parsed.GetValue(host)!, parsed.GetValue(port), parsed.GetValue(user),
                parsed.GetValue(passwordFile), parsed.GetValue(tls), parsed.GetValue(fingerprint), parsed.GetValue(trustNew),
                parsed.GetValue(remember), parsed.GetValue(tokenFile), parsed.GetValue(trace), !parsed.GetValue(noBell));
        Console.Error.WriteLine("chatroom: --full-screen needs a terminal for input and output; using the line mode");
    }
    var named = Login.GatherNick(parsed.GetValue(user));
    if (named.Case is not string nick) return Refused(named.Match(_ => Error.New(0, ""), e => e));

    var secure = parsed.GetValue(tls);
    var serverPort = parsed.GetValue(port) ?? (secure ? 7778 : 7777);
    // A stored token is tried first, and the password asked for only if the server refuses it.
    var server = parsed.GetValue(host)!;
    var store = parsed.GetValue(tokenFile) is { } path ? new TokenFile(path.FullName)
        : parsed.GetValue(remember) ? TokenFile.Remembered(server, serverPort, nick)
        : null;
    var token = store?.Read(DateTimeOffset.UtcNow) ?? None;
    var settings = new RunSettings(server, serverPort, nick, "", interactive,
        parsed.GetValue(json), parsed.GetValue(trace))
    {
        TokenFile = store,
        Token = token,
        LastSeen = store?.ReadLastSeen() ?? 0,
        Reconnect = interactive || parsed.GetValue(reconnect),
        Strict = parsed.GetValue(strict),
        Tls = secure
            ? new TlsSettings(Optional(parsed.GetValue(fingerprint)).Bind(ChatRoom.Core.Client.CertificateTrust.Normalize),
                parsed.GetValue(trustNew), KnownHosts.Default(), interactive ? (e, f, file) => Task.FromResult(AskToTrust(e, f, file)) : null)
            : null,
    };
    ClientOutput output = settings switch
    {
        { Json: true } => new ClientOutput.Json(),
        // History is dimmed in a terminal, unless NO_COLOR (no-color.org) or TERM=dumb asks for none.
        { Interactive: true } => new ClientOutput.Interactive(
            new ChatRoom.Client.Terminal.Screen(Console.Out, live: !Console.IsOutputRedirected),
            colour: !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
                    && Environment.GetEnvironmentVariable("TERM") != "dumb"),
        _ => new ClientOutput.Text(),
    };
    if (token.IsSome)
    {
        var resumed = new ClientRunner(settings, output);
        var code = await resumed.Run();
        if (!resumed.FellBack) return code;
        // The refused token's file and its .seen are gone; what this run saw is not shown again.
        settings = settings with { LastSeen = resumed.LastSeen };
    }
    var login = Login.GatherPassword(nick, parsed.GetValue(passwordFile));
    if (login.Case is not (string, string password)) return Refused(login.Match(_ => Error.New(0, ""), e => e));
    return await new ClientRunner(settings with { Password = password, Token = None }, output).Run();
});

// Trust on first use, as SSH asks: before the keyboard is read, and before anything is sent.
static bool AskToTrust(string endpoint, string fingerprint, string file)
{
    Console.Error.WriteLine($"The server {endpoint} presented a certificate that nothing vouches for and that you have not trusted before:");
    Console.Error.WriteLine($"  {fingerprint}");
    Console.Error.WriteLine("Compare it with the fingerprint the server printed when it started (its log says \"certificate SHA256:...\").");
    Console.Error.Write($"Trust it, and remember it in {file}? [y/N] ");
    var answer = Console.ReadLine()?.Trim();
    return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
}

static int Refused(Error error)
{
    if (error.Message.Length > 0) Console.Error.WriteLine($"chatroom: {error.Message}");
    return error.Code;
}

// The client handles Ctrl+C and SIGTERM itself (it says QUIT and waits for BYE), so System.CommandLine must not.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
