using System.Text;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Names;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt.Common;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Names;

/// <summary>UTS #39 in the accounts and in the room: the 22 tricks are refused, honest names are not.</summary>
public class LookalikeTests
{
    private static readonly PasswordHash Hash = (PasswordHash)PasswordHash.Parse(
        "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

    private static UserDirectory WithAlice() => (UserDirectory)UserDirectory.Empty.Add(new UserAccount("alice", Hash));

    private static IcuSpoof Icu => (IcuSpoof)IcuSpoof.Instance.Case!;

    [Fact]
    public void The_table_holds_22_distinct_tricks() => Assert.Equal(22, Tricks.All.Select(t => t.Nick).Distinct().Count());

    [Fact]
    public void Icu_is_found_the_way_the_runtime_finds_it() => Assert.Equal("", IcuSpoof.LoadProblem);

    [Theory]
    [MemberData(nameof(Tricks.AllTricks), MemberType = typeof(Tricks))]
    public void Every_trick_is_refused_as_an_account_while_alice_exists(string nick, string how)
    {
        var added = WithAlice().Add(new UserAccount(nick, Hash));
        Assert.True(added.IsFail, $"{how}: '{nick}' was added beside alice");
    }

    [Theory]
    [MemberData(nameof(Tricks.AllTricks), MemberType = typeof(Tricks))]
    public void Every_trick_is_refused_at_login_while_alice_is_online(string nick, string how)
    {
        var room = Given().LoggedIn(1, "alice").Open(2).Line(2, $"LOGIN {nick} pw");
        Assert.True(room.Checked.Count == 0, $"{how}: a password check was started for '{nick}'");
        var error = Assert.IsType<ServerEvent.Error>(Assert.Single(room.To(2)));
        Assert.Contains(error.Code, new[] { ErrorCodes.NickInUse, ErrorCodes.Invalid, ErrorCodes.LooksLike });
        Assert.Equal(Phase.AwaitingLogin, room.State.PhaseOf(new(2)));
    }

    [Theory]
    [MemberData(nameof(Tricks.AllTricks), MemberType = typeof(Tricks))]
    public void Every_trick_is_refused_at_resume_while_alice_is_online(string nick, string how)
    {
        // RESUME goes through the same refusals as LOGIN: a token must not be a way around the nickname rules.
        var room = Given().LoggedIn(1, "alice").Open(2).Line(2, $"RESUME {nick} AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        Assert.False(room.Effects.OfType<Effect.CheckToken>().Any(), $"{how}: a token look-up was started for '{nick}'");
        var error = Assert.IsType<ServerEvent.Error>(Assert.Single(room.To(2)));
        Assert.Contains(error.Code, new[] { ErrorCodes.NickInUse, ErrorCodes.Invalid, ErrorCodes.LooksLike });
        Assert.Equal(Phase.AwaitingLogin, room.State.PhaseOf(new(2)));
    }

    [Theory]
    [InlineData("alice\uFE0F")]
    [InlineData("\u3164")]
    [InlineData("\u0430lice")]
    public void A_resume_with_a_nickname_the_rules_refuse_is_refused_422_even_with_nobody_online(string nick)
    {
        var room = Given().Open(1).Line(1, $"RESUME {nick} AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        Assert.False(room.Effects.OfType<Effect.CheckToken>().Any());
        Assert.StartsWith("ERROR 422 invalid nickname", Assert.Single(room.Lines(1)));
    }

    [Theory]
    [InlineData("\u0251lice")]
    [InlineData("aIice")]
    [InlineData("al\u0131ce")]
    [InlineData("a1ice")]
    public void A_look_alike_login_while_alice_is_online_names_her(string nick)
    {
        var room = Given().LoggedIn(1, "alice").Open(2).Line(2, $"LOGIN {nick} pw");
        Assert.Equal([$"ERROR 423 nickname {nick} looks like alice, who is online"], room.Lines(2));
    }

    [Fact]
    public void A_look_alike_account_logging_in_while_alice_is_online_is_refused_after_its_check()
    {
        // aIice could own an account made before these rules (the users file is restored as it is).
        var room = Given().Open(2).Line(2, "LOGIN aIice pw").LoggedIn(1, "alice").Verdict(2, "aIice", AuthVerdict.Accepted);
        Assert.Equal(["ERROR 423 nickname aIice looks like alice, who is online"], room.Lines(2));
        Assert.Equal(Phase.AwaitingLogin, room.State.PhaseOf(new(2)));
    }

    [Fact]
    public void A_look_alike_can_log_in_once_alice_has_left()
    {
        var room = Given().LoggedIn(1, "alice").Close(1).LoggedIn(2, "aIice");
        Assert.Equal(Phase.InRoom, room.State.PhaseOf(new(2)));
        Assert.True(room.State.Shapes.Values.All(id => id == new ConnectionId(2)));
    }

    [Fact]
    public void A_registration_refused_as_a_look_alike_is_told_so_and_may_try_another_name()
    {
        var room = Given(RoomSettings.Default with { OpenRegistration = true }).Open(1).Line(1, "LOGIN \u0251lice pw")
            .Verdict(1, "\u0251lice", AuthVerdict.UnknownUser).Registration(1, "\u0251lice", RegistrationResult.LooksLike);
        Assert.Equal(["ERROR 423 nickname looks like an existing account's, choose another: \u0251lice"], room.Lines(1));
        Assert.Equal(Phase.AwaitingLogin, room.State.PhaseOf(new(1)));
    }

    [Fact]
    public void Look_alike_registrations_count_against_the_address_like_refused_logins()
    {
        var room = Given(RoomSettings.Default with { OpenRegistration = true }).Open(1);
        for (var i = 0; i < RoomSettings.Default.MaxFailedLogins; i++)
            room.Line(1, "LOGIN \u0251lice pw").Verdict(1, "\u0251lice", AuthVerdict.UnknownUser)
                .Registration(1, "\u0251lice", RegistrationResult.LooksLike);
        Assert.False(room.Closed(1));
        room.Line(1, "LOGIN mallory pw");
        Assert.Equal(["DENIED too many attempts"], room.Lines(1));
    }

    [Fact]
    public void The_account_error_says_which_account_it_looks_like()
    {
        var error = WithAlice().Add(new UserAccount("\u0251lice", Hash)).Match(_ => Error.New("added"), e => e);
        Assert.Equal(ErrorCodes.LooksLike, error.Code);
        Assert.Equal("nickname '\u0251lice' looks like the account 'alice'", error.Message);
    }

    [Theory]
    [MemberData(nameof(Tricks.AllHonest), MemberType = typeof(Tricks))]
    public void Honest_names_in_many_scripts_are_accepted(string nick)
    {
        Assert.Equal(None, NickProfile.Refusal(nick));
        Assert.True(WithAlice().Add(new UserAccount(nick, Hash)).IsSucc, nick);
        var room = Given().LoggedIn(1, "alice").Open(2).Line(2, $"LOGIN {nick} pw");
        Assert.Equal([2L], room.Checked);
    }

    [Theory]
    [InlineData("Ivan\u0418\u0432\u0430\u043D", "mixes scripts")]
    [InlineData("a\u0661\u06F1", "mixes digits")]
    [InlineData("ali\u0307ce", "a mark hidden over a dotted letter")]
    [InlineData("al\u034Fice", "invisible character U+034F")]
    public void A_refusal_says_why(string nick, string why) => Assert.Contains(why, NickProfile.Refusal(nick).IfNone(""));

    [Fact]
    public void Removing_an_account_frees_its_look_alikes()
    {
        var directory = (UserDirectory)WithAlice().Remove("ALICE");
        Assert.True(directory.Shapes.IsEmpty);
        Assert.True(directory.Add(new UserAccount("aIice", Hash)).IsSucc);
    }

    [Fact]
    public void A_users_file_with_look_alikes_made_before_these_rules_still_loads()
    {
        var restored = WithAlice().Restore(new UserAccount("\u0430lice", Hash));
        Assert.True(restored.IsSucc);
        Assert.True(((UserDirectory)restored).Find("\u0430lice").IsSome);
    }

    [Fact]
    public void Removing_one_of_two_old_look_alikes_keeps_the_other_guarded()
    {
        var both = (UserDirectory)WithAlice().Restore(new UserAccount("aIice", Hash));
        var left = (UserDirectory)both.Remove("alice");
        var third = left.Add(new UserAccount("a1ice", Hash));
        Assert.True(third.IsFail, "a1ice was added beside aIice once alice was removed");
        Assert.Equal(ErrorCodes.LooksLike, third.Match(_ => 0, e => e.Code));
    }

    [Fact]
    public void The_ascii_prototypes_are_icus_and_the_fallback_copy_matches_them()
    {
        const string nickChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";
        var changed = nickChars.Where(c => Icu.Skeleton(c.ToString()) != c.ToString())
            .ToDictionary(c => c, c => Icu.Skeleton(c.ToString()));
        Assert.Equal(new Dictionary<char, string> { ['m'] = "rn", ['I'] = "l", ['1'] = "l", ['0'] = "O" }, changed);
        foreach (var c in nickChars) Assert.Equal(Icu.Skeleton(c.ToString()), Lookalike.AsciiPrototypes[c]);
    }

    private static readonly Gen<string> AsciiNick =
        from length in Gen.Choose(1, Syntax.MaxNickChars)
        from chars in Gen.ArrayOf(Gen.Elements("aeilmnorIlO01M_-.".ToCharArray()), length)
        select new string(chars);

    [Property(MaxTest = 300)]
    public Property The_ascii_fast_path_gives_the_keys_icu_gives() =>
        Prop.ForAll(AsciiNick.ToArbitrary(), nick =>
            Lookalike.Keys(nick) == (Icu.Skeleton(Syntax.FoldNick(nick)), Icu.Skeleton(nick).ToLowerInvariant()));

    /// <summary>Base names, and single-character swaps drawn from ICU's own look-alikes and from other scripts.</summary>
    private static readonly Gen<string> Candidate =
        from name in Gen.Elements("alice", "bob", "carol", "mallory", "北落", "José", "Zoë", "olivia", "rnike", "d0nna")
        from edits in Gen.ListOf(Gen.Zip(Gen.Choose(0, 7), Gen.Elements(Swaps)))
        select Apply(name, edits);

    private static readonly string[] Swaps =
    [
        "a", "l", "I", "1", "i", "\u0131", "\u0430", "\u0435", "\u043E", "\u03BF", "\u0251", "\u0430", "m", "rn", "O", "0",
        "o", "E", "\u0130", "\u0307", "\u034F", "Ａ", "ｌ", "𝐚", "é", "e\u0301", "ë", "北", "落", "\u3164", "\u200B", "A", "L",
    ];

    private static string Apply(string name, IEnumerable<(int At, string With)> edits)
    {
        var runes = name.EnumerateRunes().Select(r => r.ToString()).ToList();
        foreach (var (at, with) in edits)
        {
            if (runes.Count == 0) runes.Add(with);
            else runes[at % runes.Count] = with;
        }
        return string.Concat(runes);
    }

    [Property(MaxTest = 200)]
    public Property Any_two_accepted_accounts_have_different_skeletons() =>
        Prop.ForAll(Gen.ListOf(Candidate).ToArbitrary(), names =>
        {
            var directory = names.Aggregate(UserDirectory.Empty,
                (d, nick) => d.Add(new UserAccount(nick, Hash)).IfFail(d));
            var accounts = directory.List().Map(a => a.Nick).ToList();
            var clash = (from a in accounts
                         from b in accounts
                         where string.CompareOrdinal(a, b) < 0 && Lookalike.LookAlike(a, b)
                         select $"{a} ~ {b}").FirstOrDefault();
            return (clash is null).Label($"accounts that look alike: {clash}; accepted {string.Join(", ", accounts)}")
                .Classify(accounts.Count > 1, "more than one account")
                .Classify(names.Count > accounts.Count, "some refused");
        });
}
