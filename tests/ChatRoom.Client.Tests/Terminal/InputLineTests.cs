using ChatRoom.Client.Terminal;

namespace ChatRoom.Client.Tests.Terminal;

public class InputLineTests
{
    private static ConsoleKeyInfo Key(ConsoleKey key, char c = '\0', bool control = false) => new(c, key, false, false, control);
    private static ConsoleKeyInfo Char(char c) => new(c, ConsoleKey.NoName, false, false, false);

    private static InputLine Type(string text) => text.Aggregate(InputLine.Empty, (line, c) => KeyBindings.Apply(line, Char(c)).Line);

    [Fact]
    public void Typing_inserts_at_the_cursor()
    {
        var line = Type("helo");
        line = KeyBindings.Apply(line, Key(ConsoleKey.LeftArrow)).Line;
        line = KeyBindings.Apply(line, Char('l')).Line;
        Assert.Equal(new InputLine("hello", 4), line);
    }

    [Fact]
    public void Backspace_and_arrows_move_over_whole_characters()
    {
        var emoji = char.ConvertFromUtf32(0x1F600);
        var line = InputLine.Empty.Insert("你好" + emoji + "e\u0301");
        Assert.Equal("你好" + emoji, line.Backspace().Text);
        Assert.Equal("你好e\u0301", line.Left().Backspace().Text);
        Assert.Equal(1, line.Home().Right().Cursor);
        Assert.Equal("你好", line.Backspace().Backspace().Text);
    }

    [Fact]
    public void Word_and_line_deletion_work_like_a_shell()
    {
        Assert.Equal("say ", Type("say hello  ").DeleteWord().Text);
        Assert.Equal(InputLine.Empty, KeyBindings.Apply(Type("anything"), Key(ConsoleKey.U, '\x15', control: true)).Line);
    }

    [Fact]
    public void Enter_submits_and_empties_the_line()
    {
        var (line, action) = KeyBindings.Apply(Type("hi"), Key(ConsoleKey.Enter, '\r'));
        Assert.Equal(KeyAction.Submit, action);
        Assert.Equal(InputLine.Empty, line);
    }

    [Fact]
    public void Ctrl_d_ends_input_only_on_an_empty_line_and_ctrl_c_interrupts()
    {
        Assert.Equal(KeyAction.EndOfInput, KeyBindings.Apply(InputLine.Empty, Key(ConsoleKey.D, '\x04', control: true)).Action);
        Assert.Equal(KeyAction.Edit, KeyBindings.Apply(Type("x"), Key(ConsoleKey.D, '\x04', control: true)).Action);
        Assert.Equal(KeyAction.Interrupt, KeyBindings.Apply(Type("x"), Key(ConsoleKey.C, '\x03', control: true)).Action);
    }

    [Fact]
    public void Other_control_characters_are_not_typed() =>
        Assert.Equal("", KeyBindings.Apply(InputLine.Empty, Key(ConsoleKey.Escape, '\x1b')).Line.Text);

    [Fact]
    public void A_tab_becomes_spaces_up_to_the_next_stop_of_8_columns()
    {
        var line = KeyBindings.Apply(Type("ab"), Char('\t')).Line;
        Assert.Equal(new InputLine("ab      ", 8), line);
        Assert.Equal("ab      c       d", Type("ab\tc\td").Text);
        Assert.Equal("你好    x", Type("你好\tx").Text);
    }

    [Fact]
    public void Ctrl_Z_suspends_and_is_never_typed_into_the_line()
    {
        var (line, action) = KeyBindings.Apply(Type("half"), Key(ConsoleKey.Z, '\x1a', control: true));
        Assert.Equal((Type("half"), KeyAction.Suspend), (line, action));
        Assert.Equal(KeyAction.Suspend, KeyBindings.Apply(Type("half"), Char('\x1a')).Action);
    }
}
