namespace ChatRoom.Client.Terminal;

/// <summary>
/// Asks for one line on the terminal before the chat starts: the nickname (echoed) or the password (not echoed,
/// not even as stars). Ctrl+C and Ctrl+D cancel. Uses the same key bindings as the chat's input line.
/// </summary>
internal static class LinePrompt
{
    /// <summary>The line typed, or None when cancelled.</summary>
    public static Option<string> Read(string prompt, bool secret)
    {
        var treatControlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            var line = InputLine.Empty;
            Draw(prompt, line, secret);
            while (true)
            {
                var (next, action) = KeyBindings.Apply(line, Console.ReadKey(intercept: true));
                switch (action)
                {
                    case KeyAction.Submit:
                        Console.Error.WriteLine();
                        return line.Text;
                    case KeyAction.Interrupt or KeyAction.EndOfInput:
                        Console.Error.WriteLine();
                        return None;
                }
                line = next;
                if (!secret) Draw(prompt, line, secret);
            }
        }
        finally
        {
            Console.TreatControlCAsInput = treatControlC;
        }
    }

    private static void Draw(string prompt, InputLine line, bool secret)
    {
        if (secret)
        {
            Console.Error.Write(prompt);
            return;
        }
        var view = InputLineView.Render(prompt, line, Console.WindowWidth > 0 ? Console.WindowWidth : 80);
        Console.Error.Write($"\r\x1b[2K{view.Visible}\r{(view.CursorColumn > 0 ? $"\x1b[{view.CursorColumn}C" : "")}");
    }
}
