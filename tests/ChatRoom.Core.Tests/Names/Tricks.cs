namespace ChatRoom.Core.Tests.Names;

/// <summary>
/// The 22 ways to pass for "alice" of issue 10: the 14 a tester got admitted while alice was online, and 8 more
/// (3 that were already refused, 5 of our own). Each is a (name, how it fools) pair for the theories.
/// </summary>
public static class Tricks
{
    public static readonly (string Nick, string How)[] All =
    [
        ("\u0430lice", "Cyrillic a"),
        ("alic\u0435", "Cyrillic e"),
        ("\u0251lice", "Latin alpha"),
        ("aIice", "capital I for l"),
        ("al\u0131ce", "dotless i"),
        ("al\u0130ce", "capital I with dot"),
        ("alice\u034F", "combining grapheme joiner"),
        ("alice\uFE0F", "variation selector 16"),
        ("alice\u180B", "Mongolian free variation selector"),
        ("alice\U000E0100", "variation selector 17"),
        ("alice\u3164", "Hangul filler after"),
        ("\u3164", "Hangul filler alone"),
        ("\uFFA0", "half-width Hangul filler alone"),
        ("\u3164\uFFA0", "two fillers"),
        ("Ａｌｉｃｅ", "full-width letters"),
        ("𝐚𝐥𝐢𝐜𝐞", "mathematical bold"),
        ("ALICE", "upper case"),
        ("al\u200Bice", "zero-width space inside"),
        ("al\u200Dice", "zero-width joiner inside"),
        ("al\u00ADice", "soft hyphen inside"),
        ("ali\u0307ce", "combining dot over the i"),
        ("\u03B1lice", "Greek alpha"),
    ];

    /// <summary>Names that must keep working: CJK and its documented mixes, accents, other scripts, ASCII punctuation.</summary>
    public static readonly string[] Honest =
    [
        "北落", "小明", "田中さん", "タナカ", "José", "Zoë", "Żaneta", "देवनागरी", "Δήμητρα", "김철수", "Иван", "ivan_2",
        "张三abc", "山田Taro", "陳ㄅ", "李민수", "bob.smith", "x-y_z", "1234",
    ];

    public static IEnumerable<object[]> AllTricks => All.Select(t => new object[] { t.Nick, t.How });
    public static IEnumerable<object[]> AllHonest => Honest.Select(n => new object[] { n });
}
