using System.Globalization;
using System.Text;

namespace ChatRoom.Core.Protocol;

/// <summary>
/// Writes a server line straight to its bytes on the wire: the verb, its parameters separated by single spaces,
/// then LF. It measures the line first and allocates exactly one array, with no string in between. Callers
/// validate the parameters; this only lays them out.
/// </summary>
internal static class WireLine
{
    /// <summary><c>VERB number word...</c> followed by LF.</summary>
    public static byte[] Of(string verb, long number, params ReadOnlySpan<string> words)
    {
        Span<byte> digits = stackalloc byte[20];
        number.TryFormat(digits, out var count, default, CultureInfo.InvariantCulture);
        var line = new byte[verb.Length + 1 + count + Measure(words) + 1]; // verbs are ASCII: one byte a character
        var at = Encoding.ASCII.GetBytes(verb, line);
        line[at++] = (byte)' ';
        digits[..count].CopyTo(line.AsSpan(at));
        at += count;
        foreach (var word in words) at = Write(line, at, word);
        line[at] = (byte)'\n';
        return line;
    }

    /// <summary><c>VERB word...</c> followed by LF; just <c>VERB</c> and LF when there are no words.</summary>
    public static byte[] Of(string verb, Seq<string> words)
    {
        var length = verb.Length + 1;
        foreach (var word in words) length += 1 + Encoding.UTF8.GetByteCount(word);
        var line = new byte[length];
        var at = Encoding.ASCII.GetBytes(verb, line);
        foreach (var word in words) at = Write(line, at, word);
        line[at] = (byte)'\n';
        return line;
    }

    private static int Measure(ReadOnlySpan<string> words)
    {
        var length = 0;
        foreach (var word in words) length += 1 + Encoding.UTF8.GetByteCount(word);
        return length;
    }

    private static int Write(byte[] line, int at, string word)
    {
        line[at++] = (byte)' ';
        return at + Encoding.UTF8.GetBytes(word, line.AsSpan(at));
    }
}
