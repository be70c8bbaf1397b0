using ChatRoom.Client.Display;
using ChatRoom.Client.Terminal;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.FullScreen;

/// <summary>How a transcript line is drawn.</summary>
public enum LineKind
{
    Live,
    /// <summary>From the room's history: dimmed.</summary>
    History,
    /// <summary><c>— earlier —</c> and <c>— now —</c> around a block of history: dimmed.</summary>
    Separator,
    /// <summary>Help, warnings and what the client says itself.</summary>
    Notice,
    /// <summary>Refusals (<c>! ...</c>).</summary>
    Error,
    Mention,
    Whisper,
}

/// <summary>One line of the transcript, before it is wrapped to the pane's width.</summary>
public sealed record TranscriptLine(string Text, LineKind Kind)
{
    /// <summary>
    /// The line an event shows (the same text as the line mode's, <see cref="Transcript.Line"/>), and how: history
    /// dimmed, refusals as errors, whispers to you and mentions of you highlighted.
    /// </summary>
    public static Option<TranscriptLine> Of(ServerEvent e, string me, DateTimeOffset at, bool history) =>
        Transcript.Line(e, me, at).Map(text => new TranscriptLine(text, KindOf(e, me, history)));

    public static LineKind KindOf(ServerEvent e, string me, bool history) =>
        history ? LineKind.History
        : e is ServerEvent.Error or ServerEvent.Denied ? LineKind.Error
        : Highlight.Of(e, me) switch
        {
            HighlightKind.Whisper => LineKind.Whisper,
            HighlightKind.Mention => LineKind.Mention,
            _ => LineKind.Live,
        };
}

/// <summary>
/// The transcript pane's content: the lines so far (the newest <see cref="Capacity"/>), and how far the reader
/// has scrolled back from the newest, in rows. While at the bottom it follows new lines; scrolled back, it stays
/// on what the reader is looking at. Immutable.
/// </summary>
public sealed record TranscriptModel(Seq<TranscriptLine> Lines, int Back)
{
    public const int Capacity = 5000;

    public static readonly TranscriptModel Empty = new(LanguageExt.Seq<TranscriptLine>.Empty, 0);

    /// <summary>Adds a line at the bottom; a reader scrolled back stays on the same rows (<paramref name="width"/> says how many it adds).</summary>
    public TranscriptModel Add(TranscriptLine line, int width)
    {
        var lines = Lines.Add(line);
        if (lines.Count > Capacity) lines = lines.Tail.Strict();
        return new TranscriptModel(lines, Back == 0 ? 0 : Back + Wrap(line.Text, width).Count);
    }

    /// <summary>Scrolls by <paramref name="rows"/> (positive is back, towards older lines), within the content.</summary>
    public TranscriptModel Scroll(int rows, int width, int height)
    {
        var total = Rows(width).Count;
        return this with { Back = Math.Clamp(Back + rows, 0, Math.Max(total - height, 0)) };
    }

    /// <summary>The rows to draw in a pane of this size: the last <paramref name="height"/> rows above the scroll position.</summary>
    public IReadOnlyList<(string Text, LineKind Kind)> Visible(int width, int height)
    {
        var rows = Rows(width);
        var back = Math.Clamp(Back, 0, Math.Max(rows.Count - height, 0));
        var end = rows.Count - back;
        var start = Math.Max(end - height, 0);
        return rows.GetRange(start, end - start);
    }

    /// <summary>Every line wrapped to <paramref name="width"/> columns.</summary>
    public List<(string Text, LineKind Kind)> Rows(int width)
    {
        var rows = new List<(string, LineKind)>(Lines.Count);
        foreach (var line in Lines)
            foreach (var row in Wrap(line.Text, width))
                rows.Add((row, line.Kind));
        return rows;
    }

    /// <summary>
    /// A line cut into rows of at most <paramref name="width"/> columns (wide characters count two), at spaces
    /// where it can, with continuation rows indented by two.
    /// </summary>
    public static List<string> Wrap(string text, int width)
    {
        var rows = new List<string>();
        width = Math.Max(width, 4);
        var indent = "";
        var rest = text;
        while (DisplayWidth.Of(indent + rest) > width)
        {
            var room = width - indent.Length;
            var cut = Fit(rest, room);
            var space = rest.LastIndexOf(' ', Math.Max(cut - 1, 0));
            if (space > 0 && space > cut / 2) cut = space;
            rows.Add(indent + rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart(' ');
            indent = "  ";
            if (rest.Length == 0) return rows;
        }
        rows.Add(indent + rest);
        return rows;
    }

    /// <summary>How many chars of <paramref name="text"/> fit in <paramref name="columns"/> (at least one).</summary>
    private static int Fit(string text, int columns)
    {
        var used = 0;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var w = DisplayWidth.Of(rune);
            if (used + w > columns) break;
            used += w;
            index += rune.Utf16SequenceLength;
        }
        return Math.Max(index, Math.Min(text.Length, char.IsHighSurrogate(text[0]) ? 2 : 1));
    }
}
