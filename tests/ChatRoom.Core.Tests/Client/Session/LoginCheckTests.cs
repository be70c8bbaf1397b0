using ChatRoom.Core.Client;

namespace ChatRoom.Core.Tests.Client.Session;

public class LoginCheckTests
{
    [Theory]
    [InlineData("", "pw")]
    [InlineData("alice", "")]
    [InlineData("", "")]
    public void Empty_nickname_or_password_is_required(string nick, string password) =>
        Assert.Equal(LoginCheck.Required, LoginCheck.Check(nick, password).Match(_ => "", e => e.Message));

    [Fact]
    public void Invalid_nickname_and_control_characters_are_refused()
    {
        Assert.True(LoginCheck.Check("b@d", "pw").IsFail);
        Assert.True(LoginCheck.Check("alice", "pw\u0007").IsFail);
    }

    [Fact]
    public void Chinese_nick_and_a_password_with_spaces_pass() =>
        Assert.True(LoginCheck.Check("北落", " 师门 密码 ").IsSucc);
}
