using System.Text;

namespace ChatRoom.Benchmarks;

/// <summary>
/// Realistic client-to-server traffic for the framer: SAY lines of 20 to 200 bytes (verb and terminator
/// included, uniformly spread), one in five written in CJK (three bytes a character), half ending in CRLF and
/// half in LF. The stream is built from a fixed seed, so every process and every run feeds the same bytes and
/// the summary can state its size without running the benchmark.
/// </summary>
public static class Traffic
{
    private static readonly string[] Latin =
    [
        "the", "build", "is", "green", "again", "did", "anyone", "see", "deploy", "on", "main", "this", "morning",
        "lunch", "at", "noon?", "sounds", "good", "to", "me", "brb", "coffee", "ok", "thanks!", "merged", "review",
        "please", "flaky", "test", "fixed", "in", "a", "minute", "lol", "yes", "no", "maybe", "tomorrow",
    ];

    private static readonly string[] Cjk =
    [
        "你好", "今天", "下午", "三点", "开会", "大家", "记得", "准备", "材料", "谢谢", "没问题", "好的",
        "こんにちは", "テスト", "失敗", "しました", "안녕하세요", "회의", "시작",
    ];

    /// <summary>The stream stops at the last whole line that fits in this many bytes.</summary>
    public const int TargetBytes = 1 << 20;

    // Static fields initialise in textual order: the word lists come before the stream built from them.
    private static readonly (byte[] Bytes, int Lines) Built = Build(TargetBytes, seed: 5);

    /// <summary>The bytes, ending at a line boundary.</summary>
    public static byte[] Stream => Built.Bytes;

    /// <summary>How many lines <see cref="Stream"/> holds.</summary>
    public static int Lines => Built.Lines;

    private static (byte[] Bytes, int Lines) Build(int target, int seed)
    {
        var random = new Random(seed);
        var stream = new List<byte>(target);
        var lines = 0;
        while (true)
        {
            var lineBytes = random.Next(20, 201);
            var cjk = random.Next(5) == 0;
            var crlf = random.Next(2) == 0;
            var terminator = crlf ? "\r\n" : "\n";
            var text = Text(random, lineBytes - "SAY ".Length - terminator.Length, cjk ? Cjk : Latin);
            var line = Encoding.UTF8.GetBytes($"SAY {text}{terminator}");
            if (stream.Count + line.Length > target) return ([.. stream], lines);
            stream.AddRange(line);
            lines++;
        }
    }

    /// <summary>Words joined by spaces, then padded with ASCII so the text is exactly <paramref name="bytes"/> long.</summary>
    private static string Text(Random random, int bytes, string[] words)
    {
        var text = new StringBuilder();
        var used = 0;
        while (true)
        {
            var word = words[random.Next(words.Length)];
            var size = Encoding.UTF8.GetByteCount(word) + (text.Length > 0 ? 1 : 0);
            if (used + size > bytes) break;
            if (text.Length > 0) text.Append(' ');
            text.Append(word);
            used += size;
        }
        return text.Append('!', bytes - used).ToString();
    }
}
