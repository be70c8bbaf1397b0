using ChatRoom.Core.Auth;

namespace ChatRoom.Core.Tests.Auth;

public class AuthTests
{
    // Tests use the minimum cost so they stay fast; one test checks the default cost itself.
    private const int Cheap = PasswordHash.MinIterations;
    private static readonly byte[] Salt1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    private static readonly byte[] Salt2 = [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];

    private static PasswordHash Hash(string password, byte[] salt) =>
        PasswordHash.Create(password, salt, Cheap).ThrowIfFail();

    private static UserDirectory Directory(params (string Nick, string Password)[] users) =>
        users.Aggregate(UserDirectory.Empty, (d, u) => d.Add(new UserAccount(u.Nick, Hash(u.Password, Salt1))).ThrowIfFail());

    [Fact]
    public void A_hash_verifies_its_own_password_and_no_other()
    {
        var hash = Hash("correct horse battery staple", Salt1);
        Assert.True(hash.Verify("correct horse battery staple"));
        Assert.False(hash.Verify("correct horse battery stapl"));
        Assert.False(hash.Verify(""));
    }

    [Fact]
    public void The_same_password_with_different_salts_hashes_differently() =>
        Assert.NotEqual(Hash("pw", Salt1).Hash.ToArray(), Hash("pw", Salt2).Hash.ToArray());

    [Fact]
    public void A_stamp_is_short_stable_and_changes_with_the_password_or_the_salt()
    {
        var hash = Hash("pw", Salt1);
        Assert.Equal(24, hash.Stamp().Length);
        Assert.Equal(hash.Stamp(), PasswordHash.Parse(hash.Format()).ThrowIfFail().Stamp());
        Assert.NotEqual(hash.Stamp(), Hash("pw", Salt2).Stamp());
        Assert.NotEqual(hash.Stamp(), Hash("other", Salt1).Stamp());
        Assert.DoesNotContain(hash.Stamp(), hash.Format());
    }

    [Fact]
    public void The_text_form_describes_itself_and_parses_back()
    {
        var hash = Hash("pw 北落", Salt1);
        var text = hash.Format();
        Assert.StartsWith($"pbkdf2-sha256${Cheap}$", text);
        var back = PasswordHash.Parse(text).ThrowIfFail();
        Assert.Equal(text, back.Format());
        Assert.True(back.Verify("pw 北落"));
        Assert.DoesNotContain(Convert.ToBase64String(hash.Hash.ToArray()), hash.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("plaintext")]
    [InlineData("md5$1$abc$def")]
    [InlineData("pbkdf2-sha256$10$AAAAAAAAAAA=$AAAA")]
    [InlineData("pbkdf2-sha256$600000$!!!$AAAA")]
    [InlineData("pbkdf2-sha256$600000$AQIDBAUGBwgJCgsMDQ4PEA==$AAAA")]
    public void Malformed_hash_text_is_an_error_not_an_exception(string text) =>
        Assert.True(PasswordHash.Parse(text).IsFail);

    [Fact]
    public void The_default_cost_is_at_least_OWASPs_600000_iterations()
    {
        var hash = PasswordHash.Create("pw", Salt1).ThrowIfFail();
        Assert.True(hash.Iterations >= 600_000);
        Assert.True(hash.Verify("pw"));
    }

    [Fact]
    public void Weak_parameters_are_refused()
    {
        Assert.True(PasswordHash.Create("pw", [1, 2, 3], Cheap).IsFail);
        Assert.True(PasswordHash.Create("pw", Salt1, 10).IsFail);
    }

    [Fact]
    public void Authenticate_accepts_the_right_password_with_any_case_of_nickname()
    {
        var users = Directory(("alice", "wonderland"), ("北落", "师门"));
        Assert.Equal(AuthVerdict.Accepted, Authenticator.Authenticate(users, "ALICE", "wonderland"));
        Assert.Equal(AuthVerdict.Accepted, Authenticator.Authenticate(users, "北落", "师门"));
        Assert.Equal(AuthVerdict.WrongPassword, Authenticator.Authenticate(users, "alice", "Wonderland"));
        Assert.Equal(AuthVerdict.UnknownUser, Authenticator.Authenticate(users, "mallory", "wonderland"));
    }

    [Fact]
    public void The_directory_refuses_duplicates_and_invalid_nicknames()
    {
        var users = Directory(("alice", "pw"));
        Assert.True(users.Add(new UserAccount("Alice", Hash("x", Salt2))).IsFail);
        Assert.True(users.Add(new UserAccount("has space", Hash("x", Salt2))).IsFail);
        Assert.True(users.Remove("nobody").IsFail);
        Assert.True(users.Remove("ALICE").ThrowIfFail().Accounts.IsEmpty);
    }

    [Fact]
    public void Changing_a_password_replaces_the_hash()
    {
        var users = Directory(("alice", "old")).SetPassword("alice", Hash("new", Salt2)).ThrowIfFail();
        Assert.Equal(AuthVerdict.Accepted, Authenticator.Authenticate(users, "alice", "new"));
        Assert.Equal(AuthVerdict.WrongPassword, Authenticator.Authenticate(users, "alice", "old"));
    }
}
