using BenchmarkDotNet.Attributes;
using ChatRoom.Core.Names;

namespace ChatRoom.Benchmarks;

/// <summary>The look-alike rules alone: the profile check and the two skeleton keys, for ASCII and CJK/accented names.</summary>
[MemoryDiagnoser]
public class NickBenchmarks
{
    [Params("newcomer42", "田中さん", "José")]
    public string Nick { get; set; } = "";

    [Benchmark]
    public bool Profile() => NickProfile.Allows(Nick);

    [Benchmark]
    public (string, string) Keys() => Lookalike.Keys(Nick);
}
