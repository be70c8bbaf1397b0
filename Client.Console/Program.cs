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
var port = new System.CommandLine.Option<int>("--port")
{
    Description = "Server port.",
    DefaultValueFactory = _ => 7777,
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
var trace = new System.CommandLine.Option<bool>("--trace")
{
    Description = "Show every protocol line sent (> ) and received (< ) and every state change (# ); the password is masked.",
};

var root = new RootCommand(
    $"""
    chatroom: chat in a ChatRoom server, for people (in a terminal) and for scripts (standard input not a terminal,
    or --batch / --json). Type /help once connected for the commands.

    Exit codes:
    {string.Join(Environment.NewLine, ExitCodes.All.Select(c => $"  {c.Code}  {c.Meaning}"))}
    """)
{
    host, port, user, passwordFile, remember, tokenFile, batch, json, trace,
};

root.SetAction(async (parsed, _) =>
{
    Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    var interactive = !(parsed.GetValue(batch) || parsed.GetValue(json) || Console.IsInputRedirected);
    var named = Login.GatherNick(parsed.GetValue(user));
    if (named.Case is not string nick) return Refused(named.Match(_ => Error.New(0, ""), e => e));

    // A stored token is tried first, and the password asked for only if the server refuses it.
    var server = parsed.GetValue(host)!;
    var store = parsed.GetValue(tokenFile) is { } path ? new TokenFile(path.FullName)
        : parsed.GetValue(remember) ? TokenFile.Remembered(server, parsed.GetValue(port), nick)
        : null;
    var token = store?.Read(DateTimeOffset.UtcNow) ?? None;
    var settings = new RunSettings(server, parsed.GetValue(port), nick, "", interactive,
        parsed.GetValue(json), parsed.GetValue(trace)) { TokenFile = store, Token = token };
    ClientOutput output = settings switch
    {
        { Json: true } => new ClientOutput.Json(),
        { Interactive: true } => new ClientOutput.Interactive(
            new ChatRoom.Client.Terminal.Screen(Console.Out, live: !Console.IsOutputRedirected)),
        _ => new ClientOutput.Text(),
    };
    if (token.IsSome)
    {
        var resumed = new ClientRunner(settings, output);
        var code = await resumed.Run();
        if (!resumed.FellBack) return code;
    }
    var login = Login.GatherPassword(nick, parsed.GetValue(passwordFile));
    if (login.Case is not (string, string password)) return Refused(login.Match(_ => Error.New(0, ""), e => e));
    return await new ClientRunner(settings with { Password = password, Token = None }, output).Run();
});

static int Refused(Error error)
{
    if (error.Message.Length > 0) Console.Error.WriteLine($"chatroom: {error.Message}");
    return error.Code;
}

// The client handles Ctrl+C and SIGTERM itself (it says QUIT and waits for BYE), so System.CommandLine must not.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
