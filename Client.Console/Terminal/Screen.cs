using System.Text;

namespace ChatRoom.Client.Terminal;

/// <summary>
/// The interactive terminal: transcript lines scroll up, and the line being typed stays on the bottom row.
/// Every new line of output first erases the input row, prints itself, then redraws the input row below it, so
/// incoming messages never garble what the person is typing. Only the client's loop thread calls this.
/// When standard output is not a terminal, it just writes lines.
/// </summary>
internal sealed class Screen
{
    private const string EraseRow = "\r\x1b[2K";

    private readonly TextWriter _out;
    private readonly bool _live;
    private string _prompt = "> ";
    private InputLine _line = InputLine.Empty;
    private bool _inputShown;
    private int _drawnCursor;

    public Screen(TextWriter output, bool live)
    {
        _out = output;
        _live = live;
    }

    /// <summary>Prints text (one or more lines) above the input line.</summary>
    public void Print(string text)
    {
        if (!_live)
        {
            _out.WriteLine(text);
            return;
        }
        var frame = new StringBuilder(EraseRow);
        frame.Append(text.ReplaceLineEndings("\r\n")).Append("\r\n");
        AppendInput(frame);
        Flush(frame);
    }

    /// <summary>Shows a new prompt and line.</summary>
    public void Input(string prompt, InputLine line)
    {
        _prompt = prompt;
        _line = line;
        _inputShown = true;
        if (!_live) return;
        var frame = new StringBuilder(EraseRow);
        AppendInput(frame);
        Flush(frame);
    }

    /// <summary>Erases the input row before the process stops (Ctrl+Z): the shell gets a clean row; <see cref="Redraw"/> brings it back.</summary>
    public void Suspend()
    {
        if (_live && _inputShown) Flush(new StringBuilder(EraseRow));
    }

    /// <summary>
    /// Draws the input row again at once, for the terminal's new width (SIGWINCH) or after the process continued
    /// (SIGCONT). A terminal that reflows (tmux, VTE, kitty, iTerm2...) has wrapped a row wider than its new width
    /// onto several rows, with the cursor on the one holding its column: the client goes up to the first of them and
    /// erases to the end of the screen, so no piece of the old input row stays above the new one.
    /// </summary>
    public void Redraw()
    {
        if (!_live || !_inputShown) return;
        var columns = Columns();
        var up = _drawnCursor / columns;
        var frame = new StringBuilder("\r");
        if (up > 0) frame.Append("\x1b[").Append(up).Append('A');
        frame.Append("\x1b[J");
        AppendInput(frame);
        Flush(frame);
    }

    /// <summary>Erases the input row for good (before exiting, or before something else writes to the terminal).</summary>
    public void Close()
    {
        if (_live && _inputShown) Flush(new StringBuilder(EraseRow));
        _inputShown = false;
    }

    private void AppendInput(StringBuilder frame)
    {
        if (!_inputShown) return;
        var view = InputLineView.Render(_prompt, _line, Columns());
        _drawnCursor = view.CursorColumn;
        frame.Append(view.Visible).Append('\r');
        if (view.CursorColumn > 0) frame.Append("\x1b[").Append(view.CursorColumn).Append('C');
    }

    private void Flush(StringBuilder frame)
    {
        _out.Write(frame.ToString());
        _out.Flush();
    }

    private static int Columns()
    {
        try
        {
            var width = Console.WindowWidth;
            return width > 0 ? width : 80;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or PlatformNotSupportedException)
        {
            return 80;
        }
    }
}
