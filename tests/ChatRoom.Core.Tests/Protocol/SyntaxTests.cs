using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Tests.Protocol;

public class SyntaxTests
{
    [Theory]
    [InlineData("alice", true)]
    [InlineData("北落", true)]
    [InlineData("a_b-c.d", true)]
    [InlineData("𠀀", true)]
    [InlineData("क\u093F", true)]
    [InlineData("\u093Fक", false)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("tab\there", false)]
    [InlineData("bang!", false)]
    [InlineData("\ud800", false)]
    public void Nick_rules(string nick, bool valid) => Assert.Equal(valid, Syntax.IsValidNick(nick));

    [Fact]
    public void Nicks_are_at_most_32_characters_counted_as_unicode_scalars()
    {
        Assert.True(Syntax.IsValidNick(new string('北', 32)));
        Assert.False(Syntax.IsValidNick(new string('北', 33)));
        Assert.True(Syntax.IsValidNick(string.Concat(Enumerable.Repeat("𠀀", 32))));
    }

    [Theory]
    [InlineData("Alice", "alice")]
    [InlineData("ALICE", "alice")]
    [InlineData("Ａｌｉｃｅ", "alice")]
    public void Folded_nicks_make_look_alike_names_the_same_person(string a, string b) =>
        Assert.Equal(Syntax.FoldNick(b), Syntax.FoldNick(a));
}
