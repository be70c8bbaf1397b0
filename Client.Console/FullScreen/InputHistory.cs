namespace ChatRoom.Client.FullScreen;

/// <summary>
/// The lines sent from the compose box, for Up and Down to recall, as a shell's history does: Up goes to older
/// lines, Down back towards the line being typed, which is kept (the draft) and comes back below the newest.
/// Empty lines and a repeat of the newest are not kept. Immutable.
/// </summary>
/// <param name="Lines">Oldest first, at most <see cref="Capacity"/>.</param>
/// <param name="Position">The line shown: an index into <paramref name="Lines"/>, or its count for the draft.</param>
/// <param name="Draft">What was being typed when Up was first pressed.</param>
public sealed record InputHistory(Seq<string> Lines, int Position, string Draft)
{
    public const int Capacity = 500;

    public static readonly InputHistory Empty = new(LanguageExt.Seq<string>.Empty, 0, "");

    /// <summary>A line was sent: it becomes the newest, and recall starts again from the draft.</summary>
    public InputHistory Add(string line)
    {
        var lines = line.Length == 0 || (!Lines.IsEmpty && Lines.Last == line) ? Lines : Lines.Add(line);
        if (lines.Count > Capacity) lines = lines.Tail.Strict();
        return new InputHistory(lines, lines.Count, "");
    }

    /// <summary>Up: the next older line, or None at the oldest. <paramref name="current"/> is kept as the draft when leaving it.</summary>
    public Option<(InputHistory History, string Text)> Older(string current)
    {
        if (Position == 0) return None;
        var draft = Position == Lines.Count ? current : Draft;
        var position = Position - 1;
        return (this with { Position = position, Draft = draft }, Lines[position]);
    }

    /// <summary>Down: the next newer line, then the draft, or None when the draft is shown already.</summary>
    public Option<(InputHistory History, string Text)> Newer()
    {
        if (Position >= Lines.Count) return None;
        var position = Position + 1;
        return (this with { Position = position }, position == Lines.Count ? Draft : Lines[position]);
    }
}
