using System.Text;

namespace ChatRoom.Client.Terminal;

/// <summary>What to draw for the input line: the visible text (prompt included) and the cursor's column.</summary>
public sealed record InputLineView(string Visible, int CursorColumn)
{
    /// <summary>Marks that the start of the line is scrolled out of view.</summary>
    public const string ScrolledMark = "<";

    /// <summary>
    /// Fits the prompt and the line into one terminal row of <paramref name="columns"/>, leaving the last column
    /// free so the terminal never wraps. When the line is too long, it scrolls so the cursor stays visible.
    /// Keeping the input on exactly one row is what makes redrawing it below new output simple and safe.
    /// </summary>
    public static InputLineView Render(string prompt, InputLine line, int columns)
    {
        var room = Math.Max(4, columns - 1 - DisplayWidth.Of(prompt));
        var bounds = line.Boundaries();
        var elements = new List<(int Start, string Text, int Width)>();
        for (var i = 0; i + 1 < bounds.Count; i++)
        {
            var text = line.Text[bounds[i]..bounds[i + 1]];
            elements.Add((bounds[i], text, DisplayWidth.OfElement(text)));
        }
        var cursorIndex = elements.FindIndex(e => e.Start >= line.Cursor);
        if (cursorIndex < 0) cursorIndex = elements.Count;

        // Scroll just enough that the elements before the cursor, plus the cursor itself, fit.
        var first = 0;
        var widthBefore = elements.Take(cursorIndex).Sum(e => e.Width);
        while (first < cursorIndex && widthBefore + 1 + (first > 0 ? ScrolledMark.Length : 0) > room)
        {
            widthBefore -= elements[first].Width;
            first++;
        }

        var visible = new StringBuilder(prompt);
        var used = 0;
        if (first > 0)
        {
            visible.Append(ScrolledMark);
            used = 1;
        }
        var cursorColumn = DisplayWidth.Of(prompt) + used + widthBefore;
        for (var i = first; i < elements.Count && used + elements[i].Width <= room; i++)
        {
            visible.Append(elements[i].Text);
            used += elements[i].Width;
        }
        return new InputLineView(visible.ToString(), cursorColumn);
    }
}
