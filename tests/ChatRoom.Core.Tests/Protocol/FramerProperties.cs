using System.Text;
using ChatRoom.Core.Protocol;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ChatRoom.Core.Tests.Protocol;

/// <summary>
/// Framing must not depend on how the reads were chunked: any split of the same byte stream, including splits
/// inside a multi-byte character or between CR and LF, gives the same lines as one big read.
/// </summary>
public class FramerProperties
{
    private const int Max = 64;

    /// <summary>One line of a stream: a good line, an overlong one, one with invalid UTF-8, or an empty one.</summary>
    private static readonly Gen<(byte[] Bytes, string Expected)> Piece =
        Gen.Frequency(
            (6, Generators.Field.Where(s => s.Length > 0 && Encoding.UTF8.GetByteCount(s) < Max - 2)
                .SelectMany(_ => Gen.Elements("\n", "\r\n"), (s, end) => (Encoding.UTF8.GetBytes(s + end), s))),
            (1, Gen.Choose(Max, Max * 3).Select(n => (Encoding.UTF8.GetBytes(new string('x', n) + "\n"), "!413"))),
            (1, Gen.Constant((new byte[] { (byte)'a', 0xC3, 0x28, (byte)'\n' }, "!400"))),
            (1, Gen.Elements("\n", "\r\n").Select(end => (Encoding.UTF8.GetBytes(end), ""))));

    private static readonly Gen<(byte[] Stream, string[] Expected, int[] Cuts)> Streams =
        from pieces in Gen.ListOf(Piece)
        let stream = pieces.SelectMany(p => p.Bytes).ToArray()
        from cuts in Gen.ListOf(Gen.Choose(0, Math.Max(0, stream.Length)))
        select (stream, pieces.Select(p => p.Expected).Where(e => e.Length > 0).ToArray(), cuts.Distinct().Order().ToArray());

    [Property(MaxTest = 500)]
    public Property Same_lines_for_any_chunking_of_the_same_stream() =>
        Prop.ForAll(Streams.ToArbitrary(), s =>
        {
            var whole = Render(FeedAll(s.Stream, [s.Stream.Length]));
            var chunked = Render(FeedAll(s.Stream, s.Cuts.Append(s.Stream.Length).ToArray()));
            return (whole.SequenceEqual(s.Expected) && chunked.SequenceEqual(s.Expected))
                .Label($"expected [{string.Join("|", s.Expected)}] whole [{string.Join("|", whole)}] chunked [{string.Join("|", chunked)}]")
                .Classify(s.Expected.Any(e => e == "!413"), "with overlong line")
                .Classify(s.Stream.Any(b => b >= 0x80), "with multi-byte characters");
        });

    [Fact]
    public void A_character_split_across_reads_is_joined()
    {
        var bytes = Encoding.UTF8.GetBytes("SAY 北落\n");
        for (var cut = 0; cut <= bytes.Length; cut++)
            Assert.Equal(["SAY 北落"], Render(FeedAll(bytes, [cut, bytes.Length])));
    }

    [Fact]
    public void An_overlong_line_gives_one_413_as_soon_as_the_limit_passes_and_the_framer_recovers()
    {
        var state = FramerState.Initial(Max);
        var first = LineFramer.Feed(state, new byte[Max * 100]);
        Assert.Equal(["!413"], Render(first.Lines));
        Assert.Empty(first.State.Pending); // memory does not grow with the overlong line
        var more = LineFramer.Feed(first.State, new byte[Max * 100]);
        Assert.Empty(more.Lines);
        var after = LineFramer.Feed(more.State, "tail\nSAY ok\n"u8);
        Assert.Equal(["SAY ok"], Render(after.Lines));
    }

    [Theory]
    [InlineData(Max - 1, true)]  // content + LF = the limit exactly
    [InlineData(Max, false)]
    public void The_limit_counts_the_terminator(int contentBytes, bool fits)
    {
        var line = Encoding.UTF8.GetBytes(new string('y', contentBytes) + "\n");
        var lines = Render(LineFramer.Feed(FramerState.Initial(Max), line).Lines);
        Assert.Equal(fits ? new string('y', contentBytes) : "!413", Assert.Single(lines));
    }

    [Fact]
    public void CR_before_LF_is_dropped_and_empty_lines_are_skipped() =>
        Assert.Equal(["WHO", "SAY a\rb"], Render(LineFramer.Feed(FramerState.Initial(), "WHO\r\n\r\n\nSAY a\rb\n"u8).Lines));

    private static Seq<Fin<string>> FeedAll(byte[] stream, int[] cuts)
    {
        var state = FramerState.Initial(Max);
        var lines = new List<Fin<string>>();
        var from = 0;
        foreach (var cut in cuts)
        {
            var framed = LineFramer.Feed(state, stream.AsSpan(from, cut - from));
            state = framed.State;
            lines.AddRange(framed.Lines);
            from = cut;
        }
        return toSeq(lines);
    }

    private static string[] Render(Seq<Fin<string>> lines) =>
        lines.Map(l => l.Match(s => s, e => $"!{e.Code}")).ToArray();
}
