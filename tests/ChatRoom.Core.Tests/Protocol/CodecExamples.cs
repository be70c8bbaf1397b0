using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;

namespace ChatRoom.Core.Tests.Protocol;

/// <summary>The exact wire text of every verb, pinned: first the text, then the value decoded from it.</summary>
public class CodecExamples
{
    public static TheoryData<string, Command> Commands => new()
    {
        { "LOGIN alice secret", new Command.Login("alice", "secret") },
        { "LOGIN 北落 pass word with spaces", new Command.Login("北落", "pass word with spaces") },
        { "LOGIN alice", new Command.Login("alice", "") },
        { "SAY hello, world", new Command.Say("hello, world") },
        { "SAY  leading space", new Command.Say(" leading space") },
        { "WHISPER bob psst", new Command.Whisper("bob", "psst") },
        { "WHO", new Command.Who() },
        { "PING", new Command.Ping("") },
        { "PING 42", new Command.Ping("42") },
        { "PONG keepalive", new Command.Pong("keepalive") },
        { "QUIT", new Command.Quit("") },
        { "QUIT gone to lunch", new Command.Quit("gone to lunch") },
    };

    public static TheoryData<string, ServerEvent> Events => new()
    {
        { "HELLO chatroom 3", ServerEvent.Hello.Current },
        { "HELLO chatroom 1", new ServerEvent.Hello("chatroom", 1) },
        { "WELCOME alice", new ServerEvent.Welcome("alice") },
        { "USERS alice bob 北落", new ServerEvent.Users(Seq("alice", "bob", "北落")) },
        { "USERS", new ServerEvent.Users(Empty) },
        { "DENIED invalid nickname or password", new ServerEvent.Denied("invalid nickname or password") },
        { "JOINED 1 bob", new ServerEvent.Joined(1, "bob") },
        { "LEFT 7 bob quit", new ServerEvent.Left(7, "bob", "quit") },
        { "LEFT 7 bob", new ServerEvent.Left(7, "bob", "") },
        { "MESSAGE 3 alice hi there", new ServerEvent.Message(3, "alice", "hi there") },
        { "MESSAGE 4 北落 你好，世界", new ServerEvent.Message(4, "北落", "你好，世界") },
        { "WHISPER alice bob psst", new ServerEvent.Whisper("alice", "bob", "psst") },
        { "PING keepalive", new ServerEvent.Ping("keepalive") },
        { "PONG 42", new ServerEvent.Pong("42") },
        { "ERROR 401 log in first", new ServerEvent.Error(401, "log in first") },
        { "BYE server shutting down", new ServerEvent.Bye("server shutting down") },
    };

    [Theory, MemberData(nameof(Commands))]
    public void Command_has_exact_wire_text(string wire, Command command)
    {
        Assert.Equal(wire, CommandCodec.Encode(command).ThrowIfFail());
        Assert.Equal(command, CommandCodec.Decode(wire).ThrowIfFail());
    }

    [Theory, MemberData(nameof(Events))]
    public void Event_has_exact_wire_text(string wire, ServerEvent e)
    {
        Assert.Equal(wire, EventCodec.Encode(e).ThrowIfFail());
        Assert.Equal(e, EventCodec.Decode(wire).ThrowIfFail());
    }

    [Theory]
    [InlineData("login alice pw", "LOGIN")]
    [InlineData("Say hi", "SAY")]
    [InlineData("wHo", "WHO")]
    public void Verbs_are_case_insensitive_on_input(string line, string verb) =>
        Assert.Equal(verb, StateTable.VerbOf(CommandCodec.Decode(line).ThrowIfFail()));

    [Theory]
    [InlineData("HELLO", 400)]
    [InlineData("ſay hi", 400)] // the long s upper-cases to S, but only ASCII case folding applies to verbs
    [InlineData("SAY", 422)]
    [InlineData("SAY ", 422)]
    [InlineData("WHISPER bob", 400)]
    [InlineData("WHISPER", 400)]
    [InlineData("WHISPER bad! hi", 422)]
    [InlineData("WHO is there", 400)]
    [InlineData("LOGIN bad\u0001nick pw", 422)]
    [InlineData("LOGIN has,comma pw", 422)]
    [InlineData("SAY bell\u0007", 422)]
    [InlineData("SAY line\u2028separator", 422)]
    [InlineData("SAY evil\u202Etxt.exe", 422)]
    public void Bad_lines_decode_to_the_right_error_code(string line, int code) =>
        Assert.Equal(code, CommandCodec.Decode(line).Match(_ => 0, e => e.Code));

    [Fact]
    public void Text_longer_than_the_limit_is_refused()
    {
        Assert.True(CommandCodec.Decode("SAY " + Generators.MaxText('a')).IsSucc);
        Assert.Equal(422, CommandCodec.Decode("SAY " + Generators.MaxText('a') + "a").Match(_ => 0, e => e.Code));
    }

    [Fact]
    public void Login_without_password_decodes_so_the_room_can_answer_log_in_first()
    {
        Assert.Equal(new Command.Login("", ""), CommandCodec.Decode("LOGIN").ThrowIfFail());
        Assert.Equal(new Command.Login("alice", ""), CommandCodec.Decode("LOGIN alice ").ThrowIfFail());
    }

    [Fact]
    public void A_login_command_never_shows_its_password_as_text()
    {
        var login = new Command.Login("alice", "hunter2");
        Assert.DoesNotContain("hunter2", login.ToString());
        Assert.DoesNotContain("hunter2", new ChatRoom.Core.Room.Effect.CheckPassword(new(1), "alice", "hunter2").ToString());
    }

    [Fact]
    public void Server_lines_that_carry_a_maximal_text_still_fit_the_line_limit()
    {
        var nick = new string('北', Syntax.MaxNickChars);
        var worst = new ServerEvent.Whisper(nick, nick, Generators.MaxText('a'));
        var line = EventCodec.Encode(worst).ThrowIfFail();
        Assert.True(LineFramer.ToWire(line).Length <= FramerState.DefaultMaxLineBytes, $"{LineFramer.ToWire(line).Length} bytes");
        var message = EventCodec.Encode(new ServerEvent.Message(long.MaxValue, nick, Generators.MaxText('a'))).ThrowIfFail();
        Assert.True(LineFramer.ToWire(message).Length <= FramerState.DefaultMaxLineBytes);
    }

    [Fact]
    public void An_unknown_verb_is_echoed_cut_at_a_character_boundary()
    {
        var verb = string.Concat(Enumerable.Repeat("😀", 20));
        var error = CommandCodec.Decode(verb).Match(_ => throw new InvalidOperationException("decoded"), e => e);
        Assert.True(EventCodec.Encode(new ServerEvent.Error(error.Code, error.Message)).IsSucc);
    }
}
