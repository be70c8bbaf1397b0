namespace ChatRoom.Host;

/// <summary>
/// Reads a secret: from the terminal without echo (asking twice when a new password is being set), or as one
/// line of standard input when that is piped. The secret is never printed.
/// </summary>
public static class PasswordPrompt
{
    public static Fin<string> ReadNew(string prompt)
    {
        var first = Read(prompt);
        if (first.IsFail || Console.IsInputRedirected) return first;
        return first.Bind(p => Read("again: ").Bind(again => again == p
            ? FinSucc(p)
            : FinFail<string>(LanguageExt.Common.Error.New("the passwords do not match"))));
    }

    public static Fin<string> Read(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            var line = Console.In.ReadLine();
            return string.IsNullOrEmpty(line)
                ? LanguageExt.Common.Error.New("no password on standard input")
                : FinSucc(line);
        }

        Console.Error.Write(prompt);
        var chars = new List<char>();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (chars.Count > 0) chars.RemoveAt(chars.Count - 1);
            }
            else if (key.Modifiers.HasFlag(ConsoleModifiers.Control) && key.Key is ConsoleKey.C or ConsoleKey.D)
            {
                Console.Error.WriteLine();
                return LanguageExt.Common.Error.New("cancelled");
            }
            else if (!char.IsControl(key.KeyChar))
            {
                chars.Add(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return chars.Count == 0 ? LanguageExt.Common.Error.New("the password must not be empty") : FinSucc(new string(chars.ToArray()));
    }
}
