using ChatRoom.Core.Client;
namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>Scripts against a real server: errors' source and line in --json, and --strict's exit code.</summary>
public class LineModeEndToEndTests
{
    [Fact]
    public async Task Json_errors_say_their_source_and_line_in_arrival_order()
    {
        await using var room = TestRoom.Start();
        await using var alice = room.Client("alice", "hello\n/msg carol are you there?\n/frob\n", "--json");
        Assert.Equal(0, await alice.Exit());
        // In the order they came: line 3's refusal here may come before the server's answer to line 2.
        var errors = alice.EventsOf("error").ToDictionary(e => e.GetProperty("line").GetInt32());
        Assert.Equal(2, errors.Count);
        Assert.Equal(("server", "carol is not in the room"), (errors[2].GetProperty("source").GetString(), errors[2].GetProperty("text").GetString()));
        Assert.Equal("client", errors[3].GetProperty("source").GetString());
    }

    [Fact]
    public async Task Strict_ends_a_script_at_its_first_refused_line_with_exit_code_6()
    {
        await using var room = TestRoom.Start();
        await using var alice = room.Client("alice", "hello\n/msg carol hi\nnever said\n", "--json", "--strict");
        Assert.Equal(ExitCodes.LineRefused, await alice.Exit());
        Assert.Contains("line 2 was refused (--strict)", alice.Stderr);
        Assert.DoesNotContain(alice.Messages(), m => m.Text == "never said");
    }
}
