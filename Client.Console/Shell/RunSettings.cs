namespace ChatRoom.Client.Shell;

/// <summary>How one run of the client was asked for, after the command line and the prompts.</summary>
internal sealed record RunSettings(string Host, int Port, string Nick, string Password, bool Interactive, bool Json, bool Trace)
{
    /// <summary>How long opening the connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How to connect with TLS; null for plain TCP.</summary>
    public TlsSettings? Tls { get; init; }

    /// <summary>Where a resume token is kept (<c>--remember</c> or <c>--token-file</c>); null keeps none.</summary>
    public TokenFile? TokenFile { get; init; }

    /// <summary>The stored token to RESUME with; when it is there the password may be empty (asked for only if refused).</summary>
    public Option<ChatRoom.Core.Protocol.Secret> Token { get; init; }

    /// <summary>The newest room seq seen by the last run with this token file (0 when none): history up to it is not shown again.</summary>
    public long LastSeen { get; init; }

    /// <summary>Reconnect when the connection drops (interactive use always; scripts with <c>--reconnect</c>).</summary>
    public bool Reconnect { get; init; }

    /// <summary><c>--strict</c>: a script ends at its first refused line, with exit code 6.</summary>
    public bool Strict { get; init; }

    /// <summary>Where a script's lines come from: standard input (a test gives its own).</summary>
    public TextReader Script { get; init; } = Console.In;

    public override string ToString() =>
        $"RunSettings {{ Host = {Host}, Port = {Port}, Nick = {Nick}, Password = ***, Interactive = {Interactive}, Json = {Json}, Trace = {Trace}, Tls = {Tls is not null}, TokenFile = {TokenFile?.Path}, Token = {(Token.IsSome ? "***" : "none")} }}";
}
