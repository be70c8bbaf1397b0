using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;

namespace ChatRoom.Core.Tests.Docs;

/// <summary>
/// docs/PROTOCOL.md prints the state table and the error registry; these tests hold them to the tables the code
/// actually uses, so the two cannot drift apart.
/// </summary>
public class ProtocolDocTests
{
    private static readonly string[] Doc = File.ReadAllLines(Path.Combine(RepoRoot(), "docs", "PROTOCOL.md"));

    [Fact]
    public void The_state_table_in_the_docs_is_the_one_the_reducer_uses()
    {
        var rows = Section("state-table");
        Assert.Equal(["state", .. ChatRoom.Core.Room.Room.Verbs.Select(v => v.Name)], rows[0]);
        var body = rows.Skip(2).ToList();
        Assert.Equal(StateTable.Phases.Count, body.Count);
        foreach (var (row, phase) in body.Zip(StateTable.Phases))
        {
            Assert.StartsWith($"`{phase}`", row[0]);
            foreach (var (cell, verb) in row.Skip(1).Zip(ChatRoom.Core.Room.Room.Verbs))
                Assert.True(cell == Render(verb.RuleIn(phase)), $"{phase} × {verb.Name}: docs say '{cell}', code says '{Render(verb.RuleIn(phase))}'");
        }
    }

    [Fact]
    public void The_error_registry_in_the_docs_matches_the_codes_in_the_code()
    {
        var rows = Section("error-codes").Skip(2).ToList();
        Assert.Equal(
            ErrorCodes.All.Select(e => $"{e.Code} {e.Meaning}"),
            rows.Select(r => $"{r[0]} {r[1]}"));
    }

    [Fact]
    public void Every_greeting_in_the_docs_is_the_one_the_server_sends_by_default()
    {
        var greeting = EventCodec.Encode(ChatRoom.Core.Room.Room.Greeting(RoomSettings.Default)).ThrowIfFail();
        var readme = File.ReadAllLines(Path.Combine(RepoRoot(), "README.md"));
        var shown = Doc.Concat(readme).Select(l => l.Trim()).Where(l => l.Contains("HELLO chatroom 3 line=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(shown);
        foreach (var line in shown)
            Assert.True(line.Contains(greeting, StringComparison.Ordinal), $"the docs show '{line}', the server sends '{greeting}'");
    }

    private static string Render(Rule rule) => rule switch
    {
        Rule.Accept => "accepted",
        Rule.Refuse r => $"ERROR {r.Code}",
        _ => "ignored",
    };

    /// <summary>The cells of the markdown table between &lt;!-- name:begin --&gt; and &lt;!-- name:end --&gt;.</summary>
    private static List<string[]> Section(string name)
    {
        var begin = System.Array.IndexOf(Doc, $"<!-- {name}:begin -->");
        var end = System.Array.IndexOf(Doc, $"<!-- {name}:end -->");
        Assert.True(begin >= 0 && end > begin, $"docs/PROTOCOL.md has no {name} section");
        return Doc[(begin + 1)..end]
            .Where(l => l.StartsWith('|'))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToList();
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ChatRoom.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("ChatRoom.sln not found above " + AppContext.BaseDirectory);
    }
}
