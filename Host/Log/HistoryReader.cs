using System.Collections.Concurrent;
using ChatRoom.Core.Log;
using ChatRoom.Core.Room;
using Microsoft.Extensions.Logging;

namespace ChatRoom.Host;

/// <summary>
/// Answers the room's history reads (<see cref="Effect.ReadHistory"/>) on a thread of its own, so that a page read
/// from disk never stalls the room. The room allows one read per connection at a time, so the queue is bounded by
/// the connections.
/// </summary>
public sealed class HistoryReader : IDisposable
{
    private readonly IRoomLog _log;
    private readonly Func<Input, bool> _post;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly BlockingCollection<Effect.ReadHistory> _reads = new();
    private readonly Thread _thread;

    public HistoryReader(IRoomLog log, Func<Input, bool> post, TimeProvider clock, ILogger logger)
    {
        _log = log;
        _post = post;
        _clock = clock;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "history" };
        _thread.Start();
    }

    /// <summary>Queues a read. Safe from any thread.</summary>
    public void Read(Effect.ReadHistory read)
    {
        if (!_reads.IsAddingCompleted) _reads.Add(read);
    }

    private void Run()
    {
        foreach (var read in _reads.GetConsumingEnumerable())
        {
            Seq<LogEntry> entries;
            try
            {
                entries = _log.Before(read.Before, read.Count).ToSeq().Strict();
            }
            catch (Exception e)
            {
                _logger.LogError(e, "reading history for {Connection} failed", read.Id.ToString());
                entries = LanguageExt.Seq<LogEntry>.Empty;
            }
            _post(new Input.HistoryRead(read.Id, entries, _clock.GetUtcNow()));
        }
    }

    public void Dispose()
    {
        _reads.CompleteAdding();
        // A read still running past the wait keeps its collection: disposing it under the thread would crash it.
        if (_thread.Join(TimeSpan.FromSeconds(1))) _reads.Dispose();
    }
}
