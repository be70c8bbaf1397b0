using BenchmarkDotNet.Attributes;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Benchmarks;

/// <summary>
/// Framer throughput over <see cref="Traffic.Stream"/> (1 MiB of SAY lines), fed in the chunk sizes a socket
/// read returns: 1500 bytes (one Ethernet frame) and 4096 bytes (the Host's rented read buffer). One operation
/// frames the whole stream, so the MB/s column is the stream size divided by the mean.
/// <see cref="FeedAndDecode"/> adds <see cref="CommandCodec.Decode"/> on each line, which is all the work a
/// Host read loop does before posting to the room.
/// </summary>
[MemoryDiagnoser]
[ThroughputColumn]
public class FramerBenchmarks : IProcessesBytes
{
    [Params(1500, 4096)]
    public int ChunkSize { get; set; }

    public static long BytesPerOperation => Traffic.Stream.Length;

    [GlobalSetup]
    public void Setup()
    {
        // Each operation must frame every line of the stream and decode each to a SAY; else the figure means nothing.
        if (Feed() != Traffic.Lines || FeedAndDecode() != Traffic.Lines)
            throw new InvalidOperationException($"the framer did not give the stream's {Traffic.Lines} SAY lines");
    }

    /// <summary>Frames the stream; returns the number of lines (all are valid).</summary>
    [Benchmark]
    public int Feed()
    {
        var stream = Traffic.Stream;
        var state = FramerState.Initial();
        var lines = 0;
        for (var offset = 0; offset < stream.Length; offset += ChunkSize)
        {
            var framed = LineFramer.Feed(state, stream.AsSpan(offset, Math.Min(ChunkSize, stream.Length - offset)));
            state = framed.State;
            foreach (var line in framed.Lines)
                if (line.IsSucc) lines++;
        }
        return lines;
    }

    /// <summary>Frames the stream and decodes every line; returns the number of SAY commands.</summary>
    [Benchmark]
    public int FeedAndDecode()
    {
        var stream = Traffic.Stream;
        var state = FramerState.Initial();
        var says = 0;
        for (var offset = 0; offset < stream.Length; offset += ChunkSize)
        {
            var framed = LineFramer.Feed(state, stream.AsSpan(offset, Math.Min(ChunkSize, stream.Length - offset)));
            state = framed.State;
            foreach (var line in framed.Lines)
                if (line.Case is string text && CommandCodec.Decode(text).Case is Command.Say) says++;
        }
        return says;
    }
}
