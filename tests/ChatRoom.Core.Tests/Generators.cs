using System.Text;
using ChatRoom.Core.Protocol;
using FsCheck;
using FsCheck.Fluent;

namespace ChatRoom.Core.Tests;

/// <summary>
/// FsCheck generators for the protocol's values, registered once per test class with [Properties(Arbitrary = ...)].
/// They cover ASCII, CJK (including characters outside the BMP), other scripts, combining marks, emoji,
/// spaces inside passwords and texts, and the boundary lengths.
/// </summary>
public static class Generators
{
    private static readonly string[] NickRunes =
    [
        "a", "b", "z", "A", "Z", "0", "7", "_", "-", ".", "北", "落", "师", "門", "é", "ß", "Ж", "λ", "ا", "क", "𠀀", "Ｌ",
    ];

    private static readonly string[] Marks = ["\u0301", "\u093F"];

    private static readonly string[] TextRunes =
    [
        "a", "Z", " ", " ", "!", "?", "$", ":", "-", "北", "落", "你好", "😀", "é", "\u0301", "ж", "𠀀", "\u00A0",
    ];

    public static Gen<string> Nick =>
        from first in Gen.Elements(NickRunes)
        from restCount in Gen.Choose(0, Syntax.MaxNickChars - 1)
        from rest in Gen.ArrayOf(Gen.Frequency((9, Gen.Elements(NickRunes)), (1, Gen.Elements(Marks))), restCount)
        select first + string.Concat(rest);

    /// <summary>Free-form text of 0..n runes: spaces anywhere, including leading and trailing.</summary>
    public static Gen<string> Field =>
        Gen.Sized(size => from n in Gen.Choose(0, Math.Max(1, size))
            from runes in Gen.ArrayOf(Gen.Elements(TextRunes), n)
            select string.Concat(runes));

    public static Gen<string> Text =>
        Gen.Frequency(
            (8, Field.Where(s => s.Length > 0)),
            (1, Gen.Constant(MaxText('a'))),
            (1, Gen.Constant(MaxText('北'))));

    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>A resume token: base64url, from the shortest to the longest the protocol allows.</summary>
    public static Gen<Secret> Token =>
        from n in Gen.Frequency((3, Gen.Constant(43)), (1, Gen.Choose(Secret.MinChars, Secret.MaxChars)))
        from chars in Gen.ArrayOf(Gen.Elements(Base64Url.ToCharArray()), n)
        select new Secret(new string(chars));

    /// <summary>An expiry as TOKEN carries it: UTC, whole seconds, from 2000 to 2200.</summary>
    public static Gen<DateTimeOffset> Expires =>
        Gen.Choose(0, int.MaxValue).Select(s => new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(s * 3.0));

    /// <summary>A server time as protocol 2 writes it: UTC, to the millisecond, years 2000 to about 2068.</summary>
    public static Gen<DateTimeOffset> Time =>
        from s in Gen.Choose(0, int.MaxValue)
        from ms in Gen.Choose(0, 999)
        select new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(s).AddMilliseconds(ms);

    /// <summary>A JOINED, LEFT or MESSAGE with a time: what protocol 2 writes and HISTORY wraps.</summary>
    public static Gen<ServerEvent> TimedRoomEvent =>
        Gen.OneOf(
            from s in SeqNumber from t in Time from n in Nick select (ServerEvent)new ServerEvent.Joined(s, n) { At = t },
            from s in SeqNumber from t in Time from n in Nick from r in Field select (ServerEvent)new ServerEvent.Left(s, n, r) { At = t },
            from s in SeqNumber from t in Time from n in Nick from x in Text select (ServerEvent)new ServerEvent.Message(s, n, x) { At = t });

    /// <summary>A limit HELLO may announce: a name without <c>=</c> and a value, both single words.</summary>
    public static Gen<Limit> AnyLimit =>
        from name in Gen.Elements("line", "text", "burst", "rate", "history", "page", "x-future")
        from value in Gen.Elements("1", "10", "2.5", "4096", "on")
        select new Limit(name, value);

    public static Gen<long> SeqNumber => Gen.Frequency((5, Gen.Choose(0, 1000).Select(i => (long)i)), (1, Gen.Constant(long.MaxValue)));

    public static Gen<Command> Command =>
        Gen.OneOf(
            from n in Nick from p in Field select (Command)new Command.Login(n, p),
            Text.Select(t => (Command)new Command.Say(t)),
            from n in Nick from t in Text select (Command)new Command.Whisper(n, t),
            Gen.Constant((Command)new Command.Who()),
            Field.Select(t => (Command)new Command.Ping(t)),
            Field.Select(t => (Command)new Command.Pong(t)),
            Field.Select(t => (Command)new Command.Quit(t)),
            Gen.Constant((Command)new Command.AskToken()),
            from n in Nick from t in Token select (Command)new Command.Resume(n, t),
            Gen.Constant((Command)new Command.Forget()),
            Gen.Choose(1, 9).Select(v => (Command)new Command.Protocol(v)),
            from b in SeqNumber from c in Gen.Choose(1, 1000) select (Command)new Command.History(b, c));

    public static Gen<ServerEvent> Event =>
        Gen.OneOf(
            Gen.Constant((ServerEvent)ServerEvent.Hello.Current),
            Nick.Select(n => (ServerEvent)new ServerEvent.Welcome(n)),
            Gen.ListOf(Nick).Select(ns => (ServerEvent)new ServerEvent.Users(toSeq(ns).Strict())),
            Field.Select(r => (ServerEvent)new ServerEvent.Denied(r)),
            from s in SeqNumber from n in Nick select (ServerEvent)new ServerEvent.Joined(s, n),
            from s in SeqNumber from n in Nick from r in Field select (ServerEvent)new ServerEvent.Left(s, n, r),
            from s in SeqNumber from n in Nick from t in Text select (ServerEvent)new ServerEvent.Message(s, n, t),
            from f in Nick from to in Nick from t in Text select (ServerEvent)new ServerEvent.Whisper(f, to, t),
            Field.Select(t => (ServerEvent)new ServerEvent.Ping(t)),
            Field.Select(t => (ServerEvent)new ServerEvent.Pong(t)),
            from c in Gen.Choose(100, 999) from t in Field select (ServerEvent)new ServerEvent.Error(c, t),
            Field.Select(r => (ServerEvent)new ServerEvent.Bye(r)),
            from t in Token from x in Expires select (ServerEvent)new ServerEvent.TokenIssued(t, x),
            Gen.Constant((ServerEvent)new ServerEvent.Forgotten()),
            Gen.ListOf(AnyLimit).Select(ls => (ServerEvent)(ServerEvent.Hello.Current with { Limits = toSeq(ls).Strict() })),
            TimedRoomEvent.Select(e => (ServerEvent)new ServerEvent.History(e)),
            from what in Gen.Elements("USERS", "HISTORY") from n in SeqNumber select (ServerEvent)new ServerEvent.End(what, n),
            Gen.Choose(1, 9).Select(v => (ServerEvent)new ServerEvent.ProtocolSet(v)));

    /// <summary>Any string at all, biased towards ones that start like a real line so decoding goes deep.</summary>
    public static Gen<string> AnyLine =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
            from verb in Gen.Elements("LOGIN", "say", "WHISPER", "WHO", "PING", "QUIT", "HELLO", "USERS", "JOINED", "LEFT",
                "MESSAGE", "ERROR", "BYE", "DENIED", "WELCOME", "PONG", "TOKEN", "RESUME", "FORGET", "FORGOTTEN", "PROTOCOL", "HISTORY",
                "HISTORY BEFORE", "HISTORY MESSAGE", "END", "END USERS", "")
            from sep in Gen.Elements(" ", "  ", "", "\t")
            from rest in ArbMap.Default.GeneratorFor<string>()
            select verb + sep + rest);

    /// <summary>A text of exactly <see cref="Syntax.MaxTextBytes"/> bytes, or as near as the character allows.</summary>
    public static string MaxText(char c) =>
        new(c, Syntax.MaxTextBytes / Encoding.UTF8.GetByteCount(c.ToString()));
}

/// <summary>The arbitraries handed to FsCheck.</summary>
public static class ProtocolArbitraries
{
    public static Arbitrary<Command> Commands() => Generators.Command.ToArbitrary();
    public static Arbitrary<ServerEvent> Events() => Generators.Event.ToArbitrary();
}
