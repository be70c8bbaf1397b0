using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Core.Tests.Client;

/// <summary>
/// Conversations between client reducers and the room reducer in memory (<see cref="InMemoryRoom"/>). They were
/// end-to-end tests of real processes timed by <c>/wait</c>; what they check is the reducers' logic, so here they
/// run without sockets or sleeps. The end-to-end tests that remain are those where the process is the point.
/// </summary>
public class ClientsInRoomTests
{
    private static InMemoryRoom Joined(params string[] nicks)
    {
        var room = new InMemoryRoom(nicks.Select(n => InMemoryRoom.Client(n)));
        for (var i = 0; i < nicks.Length; i++) room.Start(i);
        return room;
    }

    private static IEnumerable<T> Shown<T>(InMemoryRoom room, int client) where T : ServerEvent =>
        room.Effects(client).OfType<ClientEffect.Show>().Select(s => s.Event).OfType<T>();

    private static Option<int> ExitCode(InMemoryRoom room, int client) =>
        room.Effects(client).OfType<ClientEffect.Exit>().Select(x => x.Code).HeadOrNone();

    [Fact]
    public void A_whisper_reaches_only_its_target_and_the_sender_gets_a_copy()
    {
        var room = Joined("alice", "bob", "carol").Type(0, "/msg bob the password is swordfish").Type(0, "done");

        var received = Assert.Single(Shown<ServerEvent.Whisper>(room, 1));
        Assert.Equal(("alice", "bob", "the password is swordfish"), (received.From, received.To, received.Text));
        Assert.Single(Shown<ServerEvent.Whisper>(room, 0));
        Assert.Empty(Shown<ServerEvent.Whisper>(room, 2));
        Assert.Equal(["done"], room.LiveMessages(2));
    }

    [Theory]
    [InlineData("/nick bob")]
    [InlineData("/login bob bob-pass")]
    public void Changing_identity_after_joining_is_refused_and_nothing_is_sent(string line)
    {
        var room = Joined("alice").Type(0, line).Type(0, "/who");

        var error = Assert.Single(Shown<ServerEvent.Error>(room, 0));
        Assert.Equal((403, "identity cannot be changed after joining"), (error.Code, error.Text));
        Assert.Single(room.Effects(0), e => e is ClientEffect.Send { Command: Command.Login });
        Assert.Equal(new[] { "alice" }, Shown<ServerEvent.Users>(room, 0).Last().Nicks.ToArray());
    }

    [Fact]
    public void A_script_longer_than_the_servers_burst_gets_every_line_through_in_order_and_leaves_cleanly()
    {
        var room = Joined("alice");
        var lines = Enumerable.Range(1, 30).Select(i => $"line {i}").ToList();
        foreach (var line in lines) room.Type(0, line);
        room.EndInput(0);
        Assert.True(ExitCode(room, 0).IsNone, "the lines beyond the burst are still paced");

        room.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(Shown<ServerEvent.Error>(room, 0));
        Assert.Equal(lines, room.LiveMessages(0));
        Assert.Equal(Some(ExitCodes.Ok), ExitCode(room, 0));
    }

    [Fact]
    public void History_command_pages_back_beyond_the_history_shown_on_joining()
    {
        var room = new InMemoryRoom([InMemoryRoom.Client("alice"), InMemoryRoom.Client("bob")]).Start(0);
        // alice's JOINED, 55 messages and her LEFT; with bob's own JOINED, the 50 shown to bob on joining start at line 8.
        foreach (var i in Enumerable.Range(1, 55)) room.Type(0, $"line {i}");
        room.EndInput(0).Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(Some(ExitCodes.Ok), ExitCode(room, 0));

        room.Start(1).Type(1, "/wait --history ^alice: line 8$ 10").Type(1, "/history 10").Type(1, "/wait --history ^alice: line 1$ 10")
            .EndInput(1).Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(Some(ExitCodes.Ok), ExitCode(room, 1));
        var history = room.Effects(1).OfType<ClientEffect.Show>().Where(s => s.History).Select(s => s.Event).OfType<ServerEvent.Message>();
        Assert.Equal([.. Enumerable.Range(8, 48).Select(i => $"line {i}"), .. Enumerable.Range(1, 7).Select(i => $"line {i}")],
            history.Select(m => m.Text));
    }
}
