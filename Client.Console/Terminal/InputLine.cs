using System.Globalization;

namespace ChatRoom.Client.Terminal;

/// <summary>
/// The line being typed: its text and the cursor, an index into <see cref="Text"/> that always sits on a
/// text-element boundary (so a Chinese character, an emoji or a letter with its accent moves and deletes as one).
/// Immutable; every edit returns a new line.
/// </summary>
public sealed record InputLine(string Text, int Cursor)
{
    /// <summary>An empty line.</summary>
    public static readonly InputLine Empty = new("", 0);

    /// <summary>Inserts typed or pasted characters at the cursor.</summary>
    public InputLine Insert(string chars) =>
        chars.Length == 0 ? this : new InputLine(Text.Insert(Cursor, chars), Cursor + chars.Length);

    /// <summary>Deletes the text element before the cursor.</summary>
    public InputLine Backspace()
    {
        var start = Previous(Cursor);
        return start == Cursor ? this : new InputLine(Text.Remove(start, Cursor - start), start);
    }

    /// <summary>Deletes the text element under the cursor.</summary>
    public InputLine Delete()
    {
        var end = Next(Cursor);
        return end == Cursor ? this : this with { Text = Text.Remove(Cursor, end - Cursor) };
    }

    /// <summary>Deletes the word before the cursor (and the spaces after it), like Ctrl+W in a shell.</summary>
    public InputLine DeleteWord()
    {
        var start = Cursor;
        while (start > 0 && Text[start - 1] == ' ') start--;
        while (start > 0 && Text[start - 1] != ' ') start--;
        return new InputLine(Text.Remove(start, Cursor - start), start);
    }

    public InputLine Left() => this with { Cursor = Previous(Cursor) };
    public InputLine Right() => this with { Cursor = Next(Cursor) };
    public InputLine Home() => this with { Cursor = 0 };
    public InputLine End() => this with { Cursor = Text.Length };

    /// <summary>The boundaries of the text elements, from 0 to the length of the text.</summary>
    public IReadOnlyList<int> Boundaries()
    {
        var bounds = new List<int> { 0 };
        for (var i = 0; i < Text.Length;)
        {
            i += Math.Max(1, StringInfo.GetNextTextElementLength(Text, i));
            bounds.Add(Math.Min(i, Text.Length));
        }
        return bounds;
    }

    private int Previous(int index)
    {
        var previous = 0;
        foreach (var b in Boundaries())
        {
            if (b >= index) break;
            previous = b;
        }
        return previous;
    }

    private int Next(int index)
    {
        foreach (var b in Boundaries())
            if (b > index) return b;
        return Text.Length;
    }
}
