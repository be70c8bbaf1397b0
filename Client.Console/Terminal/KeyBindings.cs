namespace ChatRoom.Client.Terminal;

/// <summary>What a key press asks for, beyond editing the line.</summary>
public enum KeyAction
{
    /// <summary>Only the line changed (or nothing did).</summary>
    Edit,
    /// <summary>Enter: the line is finished; send it.</summary>
    Submit,
    /// <summary>Ctrl+D on an empty line: end of input, leave the room.</summary>
    EndOfInput,
    /// <summary>Ctrl+C: leave the room now.</summary>
    Interrupt,
    /// <summary>Ctrl+Z: suspend the client (job control), as the terminal would have without raw mode.</summary>
    Suspend,
}

/// <summary>
/// The keys of the input line, as a pure function from (line, key) to (line, action). Kept small on purpose:
/// arrows, Home/End, Backspace/Delete, the shell's Ctrl+A, Ctrl+E, Ctrl+U, Ctrl+W, and Ctrl+Z to suspend.
/// </summary>
public static class KeyBindings
{
    /// <summary>The columns between tab stops: a TAB is turned into spaces up to the next one.</summary>
    public const int TabWidth = 8;

    /// <summary>Applies one key. On Submit the returned line is empty and <paramref name="line"/> holds the text.</summary>
    public static (InputLine Line, KeyAction Action) Apply(InputLine line, ConsoleKeyInfo key)
    {
        var control = key.Modifiers.HasFlag(ConsoleModifiers.Control);
        return key.Key switch
        {
            ConsoleKey.Enter => (InputLine.Empty, KeyAction.Submit),
            ConsoleKey.C when control => (line, KeyAction.Interrupt),
            ConsoleKey.Z when control => (line, KeyAction.Suspend),
            ConsoleKey.D when control => line.Text.Length == 0 ? (line, KeyAction.EndOfInput) : (line.Delete(), KeyAction.Edit),
            ConsoleKey.A when control => (line.Home(), KeyAction.Edit),
            ConsoleKey.E when control => (line.End(), KeyAction.Edit),
            ConsoleKey.U when control => (InputLine.Empty, KeyAction.Edit),
            ConsoleKey.W when control => (line.DeleteWord(), KeyAction.Edit),
            ConsoleKey.B when control => (line.Left(), KeyAction.Edit),
            ConsoleKey.F when control => (line.Right(), KeyAction.Edit),
            ConsoleKey.Backspace => (line.Backspace(), KeyAction.Edit),
            ConsoleKey.Delete => (line.Delete(), KeyAction.Edit),
            ConsoleKey.LeftArrow => (line.Left(), KeyAction.Edit),
            ConsoleKey.RightArrow => (line.Right(), KeyAction.Edit),
            ConsoleKey.Home => (line.Home(), KeyAction.Edit),
            ConsoleKey.End => (line.End(), KeyAction.Edit),
            _ => key.KeyChar switch
            {
                '\r' or '\n' => (InputLine.Empty, KeyAction.Submit),
                '\x03' => (line, KeyAction.Interrupt),
                '\x1a' => (line, KeyAction.Suspend),
                // The server refuses control characters, so a TAB (typed or pasted) becomes the spaces it would show:
                // up to the next multiple of 8 columns. What is seen is what is sent.
                '\t' => (line.Insert(new string(' ', TabWidth - DisplayWidth.Of(line.Text[..line.Cursor]) % TabWidth)), KeyAction.Edit),
                '\x04' => line.Text.Length == 0 ? (line, KeyAction.EndOfInput) : (line, KeyAction.Edit),
                '\b' or '\x7f' => (line.Backspace(), KeyAction.Edit),
                var c when char.IsControl(c) || c == '\0' => (line, KeyAction.Edit),
                var c => (line.Insert(c.ToString()), KeyAction.Edit),
            },
        };
    }
}
