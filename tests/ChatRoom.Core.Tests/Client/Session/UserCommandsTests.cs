using ChatRoom.Core.Client;

namespace ChatRoom.Core.Tests.Client.Session;

public class UserCommandsTests
{
    [Theory]
    [InlineData("hello room", "hello room")]
    [InlineData("  spaced  ", "  spaced  ")]
    [InlineData("//not a command", "/not a command")]
    [InlineData("你好，世界", "你好，世界")]
    public void Plain_text_is_said_to_the_room(string line, string said) =>
        Assert.Equal(new UserCommand.Say(said), UserCommands.Parse(line));

    [Fact]
    public void Commands_parse_case_insensitively()
    {
        Assert.IsType<UserCommand.Who>(UserCommands.Parse("/WHO"));
        Assert.Equal(new UserCommand.Msg("bob", "two  spaces"), UserCommands.Parse("/Msg bob two  spaces"));
        Assert.Equal(new UserCommand.Quit("off to lunch"), UserCommands.Parse("/quit off to lunch"));
        Assert.IsType<UserCommand.Help>(UserCommands.Parse("/help"));
        Assert.IsType<UserCommand.Nothing>(UserCommands.Parse(""));
    }

    [Theory]
    [InlineData("/nick bob")]
    [InlineData("/login bob pw")]
    [InlineData("/user bob")]
    public void Identity_changes_are_recognised(string line) =>
        Assert.IsType<UserCommand.ChangeIdentity>(UserCommands.Parse(line));

    [Theory]
    [InlineData("/msg")]
    [InlineData("/msg bob")]
    [InlineData("/msg bob ")]
    [InlineData("/who is there")]
    [InlineData("/wait")]
    [InlineData("/wait [unclosed")]
    [InlineData("/wait x 0")]
    [InlineData("/history x")]
    [InlineData("/history 0")]
    [InlineData("/history 1001")]
    [InlineData("/wait --history ")]
    public void Misused_commands_say_how_to_use_them(string line) =>
        Assert.IsType<UserCommand.Malformed>(UserCommands.Parse(line));

    [Fact]
    public void Unknown_commands_keep_their_name() =>
        Assert.Equal(new UserCommand.Unknown("/dance"), UserCommands.Parse("/dance wildly"));

    [Fact]
    public void Wait_takes_a_trailing_number_as_its_timeout()
    {
        var wait = Assert.IsType<UserCommand.Wait>(UserCommands.Parse("/wait bob has joined 2.5"));
        Assert.Equal("bob has joined", wait.Pattern.ToString());
        Assert.Equal(TimeSpan.FromSeconds(2.5), wait.Timeout);

        var plain = Assert.IsType<UserCommand.Wait>(UserCommands.Parse("/wait alice: hi"));
        Assert.Equal("alice: hi", plain.Pattern.ToString());
        Assert.Equal(UserCommands.DefaultWaitTimeout, plain.Timeout);

        var number = Assert.IsType<UserCommand.Wait>(UserCommands.Parse("/wait 42"));
        Assert.Equal("42", number.Pattern.ToString());
    }

    [Fact]
    public void History_takes_an_optional_count_of_20_by_default()
    {
        Assert.Equal(new UserCommand.History(20), UserCommands.Parse("/history"));
        Assert.Equal(new UserCommand.History(5), UserCommands.Parse("/HISTORY 5"));
        Assert.Contains("/history [n]", UserCommands.HelpText);
    }

    [Fact]
    public void Wait_matches_live_events_only_unless_told_history()
    {
        Assert.False(Assert.IsType<UserCommand.Wait>(UserCommands.Parse("/wait bob")).IncludeHistory);
        var history = Assert.IsType<UserCommand.Wait>(UserCommands.Parse("/wait --history bob: hi 3"));
        Assert.True(history.IncludeHistory);
        Assert.Equal("bob: hi", history.Pattern.ToString());
        Assert.Equal(TimeSpan.FromSeconds(3), history.Timeout);
    }
}
