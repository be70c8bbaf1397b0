using System.Globalization;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;

namespace ChatRoom.Core.Client;

/// <summary>
/// The limits the client paces itself by and checks typed lines against. A protocol 2 server announces them in
/// HELLO (<c>line=4096 text=3800 burst=20 rate=10 history=50 page=100</c>); a protocol 1 server announces none,
/// and the client assumes the room's defaults, as it always did.
/// </summary>
/// <param name="Line">Most bytes in a line sent, LF included.</param>
/// <param name="Text">Most bytes in the text of SAY or WHISPER (never more than the codec can write).</param>
/// <param name="Burst">SAY and WHISPER at once; None when the server has no rate limit.</param>
/// <param name="Rate">SAY and WHISPER per second after the burst; None when the server has no rate limit.</param>
/// <param name="Page">Most events one <c>HISTORY BEFORE</c> answers.</param>
public sealed record ServerLimits(int Line, int Text, Option<int> Burst, Option<double> Rate, int Page)
{
    /// <summary>What a protocol 1 server is assumed to allow: the room's defaults.</summary>
    public static readonly ServerLimits Default = new(
        FramerState.DefaultMaxLineBytes, Syntax.MaxTextBytes, RoomSettings.Default.RateBurst, RoomSettings.Default.RatePerSecond,
        RoomSettings.Default.MaxHistoryPage);

    /// <summary>
    /// The limits a HELLO announces. One that is missing or unreadable keeps its default, except the rate limit:
    /// a protocol 2 server that announces no burst and rate has none.
    /// </summary>
    public static ServerLimits From(ServerEvent.Hello hello)
    {
        if (hello.Version < 2) return Default;
        var burst = hello.Limit("burst").Bind(Whole).Filter(n => n > 0);
        var rate = hello.Limit("rate").Bind(Number).Filter(r => r > 0);
        var limited = burst.IsSome && rate.IsSome;
        return new ServerLimits(
            hello.Limit("line").Bind(Whole).Filter(n => n >= 64).IfNone(Default.Line),
            Math.Min(Syntax.MaxTextBytes, hello.Limit("text").Bind(Whole).Filter(n => n > 0).IfNone(Default.Text)),
            limited ? burst : None,
            limited ? rate : None,
            hello.Limit("page").Bind(Whole).Filter(n => n > 0).IfNone(Default.Page));
    }

    private static Option<int> Whole(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : None;

    private static Option<double> Number(string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n : None;
}
