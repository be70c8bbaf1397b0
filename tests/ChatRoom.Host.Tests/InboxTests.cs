using ChatRoom.Core.Room;

namespace ChatRoom.Host.Tests;

/// <summary>The room's inbox and the read gates that bound it.</summary>
public class InboxTests
{
    private static readonly Input Tick = new Input.Tick(DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task A_full_inbox_holds_readers_back_until_the_room_has_taken_half_of_it()
    {
        using var inbox = new InputQueue(capacity: 1024);
        for (var i = 0; i < 1023; i++) inbox.Post(Tick);
        Assert.True(inbox.WaitForSpace().IsCompleted);
        inbox.Post(Tick);
        var space = inbox.WaitForSpace();
        Assert.False(space.IsCompleted);
        for (var i = 0; i < 511; i++) Assert.True(inbox.TryTake(out _));
        Assert.False(space.IsCompleted);
        Assert.True(inbox.TryTake(out _));
        await space.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Completing_the_inbox_lets_waiting_readers_go_and_refuses_new_inputs()
    {
        using var inbox = new InputQueue(capacity: 1024);
        for (var i = 0; i < 1024; i++) inbox.Post(Tick);
        var space = inbox.WaitForSpace();
        inbox.Complete();
        await space.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(inbox.Post(Tick));
    }

    [Fact]
    public async Task A_read_gate_waits_until_opened_and_can_be_armed_again()
    {
        var gate = new ReadGate();
        for (var round = 0; round < 3; round++)
        {
            var wait = gate.Arm();
            Assert.False(wait.IsCompleted);
            gate.Open();
            gate.Open(); // a second opening (the connection closing too) is harmless
            await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        }
    }
}
