using System.Text;
using System.Text.Unicode;

namespace ChatRoom.Core.Protocol;

/// <summary>
/// What the framer carries between two chunks: the bytes of an unfinished line, and whether it is skipping
/// the rest of a line that was already reported too long.
/// </summary>
public sealed record FramerState(byte[] Pending, bool Discarding, int MaxLineBytes)
{
    /// <summary>The protocol's limit: 4096 bytes per line, terminator included.</summary>
    public const int DefaultMaxLineBytes = 4096;

    /// <summary>A framer with nothing pending.</summary>
    public static FramerState Initial(int maxLineBytes = DefaultMaxLineBytes) =>
        new([], false, Math.Max(2, maxLineBytes));
}

/// <summary>The lines completed by one chunk of bytes, and the state to feed the next chunk into.</summary>
public sealed record Framed(FramerState State, Seq<Fin<string>> Lines);

/// <summary>
/// Framing: bytes in chunks of any size -> complete lines. A line ends with LF; a CR just before it is dropped;
/// empty lines are skipped. Because LF never occurs inside a multi-byte UTF-8 character, a character split
/// across chunks is simply joined before decoding. A line longer than the limit yields one 413 error as soon as
/// the limit is passed (so memory stays bounded), then the framer skips to the next LF and goes on.
/// Invalid UTF-8 yields a 400 error for that line only.
/// </summary>
public static class LineFramer
{
    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Feeds one chunk. Total: any bytes give lines and errors, never an exception.</summary>
    public static Framed Feed(FramerState state, ReadOnlySpan<byte> chunk)
    {
        // At most one line per LF, and one more error for an overlong line without one: sized once, not grown (a
        // flood's reads carry hundreds of short lines each).
        var lines = new Fin<string>[chunk.Count((byte)'\n') + 1];
        var count = 0;
        var pending = state.Pending;
        var discarding = state.Discarding;
        var max = state.MaxLineBytes;

        while (!chunk.IsEmpty)
        {
            var lf = chunk.IndexOf((byte)'\n');
            if (lf < 0)
            {
                if (!discarding)
                {
                    if (pending.Length + chunk.Length >= max)
                    {
                        lines[count++] = ProtocolErrors.LineTooLong(max);
                        discarding = true;
                        pending = [];
                    }
                    else
                    {
                        pending = Concat(pending, chunk);
                    }
                }
                break;
            }

            var segment = chunk[..lf];
            chunk = chunk[(lf + 1)..];
            if (discarding)
            {
                discarding = false;
                continue;
            }

            if (pending.Length + segment.Length + 1 > max)
            {
                lines[count++] = ProtocolErrors.LineTooLong(max);
            }
            else if (pending.Length == 0)
            {
                AddLine(lines, ref count, segment);
            }
            else
            {
                AddLine(lines, ref count, Concat(pending, segment));
            }
            pending = [];
        }

        var framed = count == 0 ? LanguageExt.Seq<Fin<string>>.Empty : toSeq(count == lines.Length ? lines : lines[..count]).Strict();
        return new Framed(new FramerState(pending, discarding, max), framed);
    }

    /// <summary>The bytes of a line on the wire: UTF-8 followed by LF.</summary>
    public static byte[] ToWire(string line)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(line) + 1];
        Encoding.UTF8.GetBytes(line, bytes);
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    private static void AddLine(Fin<string>[] lines, ref int count, ReadOnlySpan<byte> line)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
        if (line.IsEmpty) return;
        lines[count++] = Utf8.IsValid(line) ? FinSucc(Utf8Strict.GetString(line)) : ProtocolErrors.InvalidUtf8;
    }

    private static byte[] Concat(byte[] head, ReadOnlySpan<byte> tail)
    {
        var joined = new byte[head.Length + tail.Length];
        head.CopyTo(joined, 0);
        tail.CopyTo(joined.AsSpan(head.Length));
        return joined;
    }
}
