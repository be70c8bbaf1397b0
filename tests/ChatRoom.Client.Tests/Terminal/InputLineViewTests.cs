using ChatRoom.Client.Terminal;

namespace ChatRoom.Client.Tests.Terminal;

public class InputLineViewTests
{
    [Fact]
    public void A_short_line_is_shown_whole_with_the_cursor_after_it()
    {
        var view = InputLineView.Render("alice> ", InputLine.Empty.Insert("hello"), 80);
        Assert.Equal("alice> hello", view.Visible);
        Assert.Equal(12, view.CursorColumn);
    }

    [Fact]
    public void Chinese_characters_take_two_columns()
    {
        Assert.Equal(4, DisplayWidth.Of("你好"));
        Assert.Equal(1, DisplayWidth.Of("e\u0301"));
        var view = InputLineView.Render("> ", InputLine.Empty.Insert("你好"), 80);
        Assert.Equal(6, view.CursorColumn);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(41)]
    [InlineData(80)]
    public void A_long_line_scrolls_to_keep_the_cursor_visible_and_never_fills_the_row(int columns)
    {
        var text = string.Concat(Enumerable.Repeat("abc 你好 ", 100));
        var line = InputLine.Empty.Insert(text);
        foreach (var cursor in line.Boundaries())
        {
            var view = InputLineView.Render("alice> ", line with { Cursor = cursor }, columns);
            Assert.True(DisplayWidth.Of(view.Visible) <= columns - 1, $"too wide at cursor {cursor}");
            Assert.InRange(view.CursorColumn, 0, columns - 1);
        }
        var atEnd = InputLineView.Render("alice> ", line, columns);
        Assert.StartsWith("alice> " + InputLineView.ScrolledMark, atEnd.Visible);
        Assert.EndsWith("你好 ", atEnd.Visible);
    }
}
