using ChatRoom.Core.Protocol;

namespace ChatRoom.Host.Tests.Log;

/// <summary>The server on its durable log, in-process: what clients see when the log cannot write.</summary>
public class RoomLogServerTests
{
    [Fact]
    public async Task A_full_disk_delays_messages_refuses_new_ones_and_loses_nothing_once_there_is_room()
    {
        using var dir = new TempDir();
        var log = SqliteRoomLog.Open(SqliteRoomLog.In(dir.Path)).IfFail(e => throw new InvalidOperationException(e.Message));
        await using (var server = TestServer.Start(roomLog: log))
        {
            await using var alice = await server.Login("alice");
            await using var bob = await server.Login("bob");
            await alice.WaitFor(l => l == "JOINED 2 bob", "bob's JOINED");
            await alice.Send("SAY before");
            await bob.WaitFor(l => l == "MESSAGE 3 alice before", "the first message");

            // The database may not grow any more: messages of nearly a page each soon need a new page, and that
            // commit fails. They are sent one at a time until one does, so that exactly one waits.
            log.LimitPages(log.PageCount);
            var big = new string('x', Syntax.MaxTextBytes - 1);
            var waiting = 0;
            for (var i = 1; i <= 9 && waiting == 0; i++)
            {
                await alice.Send($"SAY {i}{big}");
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (waiting == 0 && !alice.Seen.Contains($"MESSAGE {3 + i} alice {i}{big}") && DateTime.UtcNow < deadline)
                {
                    if (server.Logs.Lines.Any(l => l.Contains("the room log cannot commit"))) waiting = i;
                    else await Task.Delay(10);
                }
            }
            Assert.True(waiting > 0, "no commit failed");
            await alice.Send("SAY while full");
            await alice.WaitFor(l => l == "ERROR 503 the room log is unavailable: message not sent, try again later", "the refusal");
            Assert.DoesNotContain(bob.Seen, l => l.StartsWith($"MESSAGE {3 + waiting} ", StringComparison.Ordinal));

            log.LimitPages(1_000_000); // room again: the writer's next retry commits what waited
            await bob.WaitFor(l => l == $"MESSAGE {3 + waiting} alice {waiting}{big}", "the message that waited", TimeSpan.FromSeconds(20));
            await server.Logs.WaitFor(l => l.Contains("the room log commits again"), "the recovery");
            await alice.Send("SAY after");
            await bob.WaitFor(l => l == $"MESSAGE {4 + waiting} alice after", "a message after the recovery");
            Assert.DoesNotContain(bob.Seen, l => l.Contains("while full", StringComparison.Ordinal)); // refused, so never delivered
        }
        log.Dispose();
    }

    [Fact]
    public async Task Retention_prunes_the_oldest_events_in_the_background_and_history_pages_only_to_what_is_kept()
    {
        using var dir = new TempDir();
        var log = SqliteRoomLog.Open(SqliteRoomLog.In(dir.Path)).IfFail(e => throw new InvalidOperationException(e.Message));
        await using (var server = TestServer.Start(limits: l => l with { RateLimitEnabled = false }, roomLog: log, logOptions: new LogOptions { KeepEvents = 5, HistoryOnJoin = 5, PruneSeconds = 0.1 }))
        {
            await using var alice = await server.Login("alice");
            for (var i = 1; i <= 20; i++) await alice.Send($"SAY number {i}");
            await alice.WaitFor(l => l == "MESSAGE 21 alice number 20", "the last message");
            await server.Logs.WaitFor(l => l.Contains("room log retention: deleted"), "a prune", seconds: 10);
            // Prunes run every 0.1 s: the first may have come before the last messages were written.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (log.Before(long.MaxValue, 100).Count > 5 && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal([17L, 18, 19, 20, 21], log.Before(long.MaxValue, 100).Select(e => e.Seq).ToArray());

            await alice.Send("HISTORY BEFORE 17 10");
            Assert.Equal("END HISTORY 0", await alice.WaitFor(l => l.StartsWith("END HISTORY", StringComparison.Ordinal), "the answer"));
        }
        Assert.Equal(22, log.Recover(0).LastSeq); // alice's LEFT at the stop; pruned rows leave the seq where it was
        log.Dispose();
    }
}
