using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace ChatRoom.Client.FullScreen;

/// <summary>
/// The transcript pane: draws the visible rows of a <see cref="TranscriptModel"/>, each in the colours of its
/// kind, and scrolls with PageUp/PageDown (sent here by the compose box) and the mouse wheel. Read-only.
/// </summary>
internal sealed class TranscriptView : View
{
    private TranscriptModel _model = TranscriptModel.Empty;

    public TranscriptView()
    {
        CanFocus = false;
        BorderStyle = LineStyle.Single;
        Title = "Room";
    }

    public TranscriptModel Model => _model;

    public void Add(TranscriptLine line)
    {
        _model = _model.Add(line, Columns());
        SetNeedsDraw();
    }

    /// <summary>Positive rows scroll back (older), negative forward; a page is the pane's height less one row.</summary>
    public void Scroll(int rows)
    {
        _model = _model.Scroll(rows, Columns(), Viewport.Height);
        Title = _model.Back == 0 ? "Room" : $"Room (scrolled back {_model.Back} rows; PageDown returns)";
        SetNeedsDraw();
    }

    public int Page => Math.Max(Viewport.Height - 1, 1);

    protected override bool OnMouseEvent(Mouse mouse)
    {
        if (mouse.Flags.HasFlag(MouseFlags.WheeledUp))
        {
            Scroll(3);
            return true;
        }
        if (mouse.Flags.HasFlag(MouseFlags.WheeledDown))
        {
            Scroll(-3);
            return true;
        }
        return base.OnMouseEvent(mouse);
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        var normal = GetAttributeForRole(VisualRole.Normal);
        var rows = _model.Visible(Columns(), Viewport.Height);
        for (var i = 0; i < rows.Count; i++)
        {
            SetAttribute(AttributeOf(rows[i].Kind, normal));
            AddStr(0, i, rows[i].Text);
        }
        SetAttribute(normal);
        return true;
    }

    private int Columns() => Math.Max(Viewport.Width, 4);

    internal static Attribute AttributeOf(LineKind kind, Attribute normal) => kind switch
    {
        LineKind.History or LineKind.Separator => new Attribute(new Color(ColorName16.DarkGray), normal.Background, TextStyle.Faint),
        LineKind.Mention => new Attribute(new Color(ColorName16.BrightYellow), normal.Background, TextStyle.Bold),
        LineKind.Whisper => new Attribute(new Color(ColorName16.BrightMagenta), normal.Background, TextStyle.Bold),
        LineKind.Error => new Attribute(new Color(ColorName16.BrightRed), normal.Background),
        LineKind.Notice => new Attribute(new Color(ColorName16.Cyan), normal.Background),
        _ => normal,
    };
}
