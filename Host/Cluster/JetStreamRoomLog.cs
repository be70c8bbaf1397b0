using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using ChatRoom.Core.Log;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using LanguageExt.Common;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace ChatRoom.Host;

/// <summary>
/// The room log on NATS JetStream, shared by every host of a cluster (docs/ARCHITECTURE.md, "Several hosts, one
/// room"). One stream per room, <c>CHATROOM_&lt;room&gt;</c> on the subject <c>chatroom.&lt;room&gt;.events</c>: the
/// stream's sequence is the room's seq. Appends are published with a message id, so a batch retried after NATS
/// went away is stored once (the stream's duplicate window). Every host reads the whole stream in order with an
/// ordered consumer and applies it; heartbeats and relayed whispers go over plain NATS subjects.
/// </summary>
public sealed class JetStreamRoomLog : ISharedRoomLog
{
    /// <summary>How long a host waits for JetStream to acknowledge a batch before it counts as failed (and is retried).</summary>
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long the stream remembers message ids: a retry within it is stored once.</summary>
    private static readonly TimeSpan DuplicateWindow = TimeSpan.FromMinutes(10);

    private readonly NatsConnection _nats;
    private readonly NatsJSContext _js;
    private readonly string _stream;
    private readonly string _events;
    private readonly string _hosts;
    private readonly TimeSpan _heartbeat;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConditionalWeakTable<Draft, string> _ids = new();
    private readonly List<Task> _running = [];
    private long _nextId;
    private ITimer? _beat;

    private JetStreamRoomLog(NatsConnection nats, string room, string hostId, TimeSpan hostTimeout, TimeProvider clock)
    {
        _nats = nats;
        _js = new NatsJSContext(nats);
        _stream = StreamName(room);
        _events = $"chatroom.{room}.events";
        _hosts = $"chatroom.{room}.hosts";
        WhisperSubject = $"chatroom.{room}.whisper.";
        HostId = hostId;
        _heartbeat = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 200, hostTimeout.Ticks / 5));
        _clock = clock;
    }

    public string HostId { get; }

    /// <summary>Where the log reports trouble (set by the server once logging is up).</summary>
    public ILogger Log { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The NATS server's address, for the log.</summary>
    public string Url { get; private init; } = "";

    private string WhisperSubject { get; }

    /// <summary>The stream holding room <paramref name="room"/>'s events.</summary>
    public static string StreamName(string room) => $"CHATROOM_{room}";

    /// <summary>A name for this run of this process: "h" and 12 random hex digits (a NATS subject token).</summary>
    public static string NewHostId() => "h" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>
    /// Connects to the cluster's NATS and makes sure the room's stream exists, within <paramref name="wait"/>; an
    /// error names the URL. The connection then reconnects by itself for as long as the process runs.
    /// </summary>
    public static Fin<JetStreamRoomLog> Open(ClusterOptions options, TimeProvider clock, TimeSpan wait, string? hostId = null)
    {
        var id = hostId ?? NewHostId();
        var nats = new NatsConnection(NatsOpts.Default with
        {
            Url = options.Url,
            Name = $"chatroom-host {id}",
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(200),
            ReconnectWaitMax = TimeSpan.FromSeconds(1),
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(5, wait.TotalSeconds)),
            RequestTimeout = AckTimeout,
        });
        try
        {
            using var timeout = new CancellationTokenSource(wait);
            nats.ConnectAsync().AsTask().WaitAsync(timeout.Token).GetAwaiter().GetResult();
            var log = new JetStreamRoomLog(nats, options.Room, id, TimeSpan.FromSeconds(options.HostTimeoutSeconds), clock) { Url = options.Url };
            log._js.CreateOrUpdateStreamAsync(new StreamConfig(StreamName(options.Room), [log._events])
            {
                Storage = StreamConfigStorage.File,
                DuplicateWindow = DuplicateWindow,
                Discard = StreamConfigDiscard.New,
                MaxMsgSize = 16 * 1024,
            }, timeout.Token).AsTask().GetAwaiter().GetResult();
            return log;
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or TimeoutException or NatsJSApiException)
        {
            nats.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return Error.New($"cannot use the cluster at {options.Url} (room stream {StreamName(options.Room)}): {e.Message}");
        }
    }

    /// <summary>
    /// The room starts empty: the feed replays the whole stream from its first event, so that who is in the room
    /// is the fold of every JOINED and LEFT ever written (docs/ARCHITECTURE.md says what that costs).
    /// </summary>
    public Recovery Recover(int recent) => Recovery.Empty;

    /// <summary>
    /// Publishes the drafts in order, pipelined, and waits until JetStream has stored every one. Returns none of
    /// them: they reach the room through the feed, in the stream's order. A failure throws (the writer retries the
    /// same drafts under the same message ids, so what was stored already is not stored twice).
    /// </summary>
    public IReadOnlyList<LogEntry> Append(IReadOnlyList<Draft> drafts)
    {
        using var timeout = new CancellationTokenSource(AckTimeout);
        var acks = new Task<PubAckResponse>[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            var id = _ids.GetValue(draft, _ => $"{HostId}-{Interlocked.Increment(ref _nextId)}");
            acks[i] = _js.PublishAsync(_events, ClusterCodec.Encode(draft), headers: new NatsHeaders { ["Nats-Msg-Id"] = id },
                cancellationToken: timeout.Token).AsTask();
        }
        foreach (var ack in acks)
        {
            // A duplicate is a draft an earlier try of this batch stored already: stored, so done.
            var response = ack.GetAwaiter().GetResult();
            if (!response.Duplicate) response.EnsureSuccess();
        }
        return [];
    }

    public IReadOnlyList<LogEntry> Before(long before, int count)
    {
        if (count <= 0 || before <= 1) return [];
        var from = Math.Max(1, before - count);
        return Read(from, before - 1, count).ToList();
    }

    public IEnumerable<LogEntry> Export(long after, DateTimeOffset since)
    {
        var last = LastSeq();
        for (var from = after + 1; from <= last; from += 1000)
            foreach (var entry in Read(from, last, 1000))
                if (entry.At >= since) yield return entry;
    }

    /// <summary>Retention is the stream's business, and the room keeps none of its own (see <see cref="Recover"/>).</summary>
    public long Prune(long keep, TimeSpan maxAge, DateTimeOffset now) => 0;

    /// <summary>Entries from seq <paramref name="from"/> to <paramref name="to"/>, at most <paramref name="max"/>, oldest first.</summary>
    private IEnumerable<LogEntry> Read(long from, long to, int max)
    {
        using var timeout = new CancellationTokenSource(AckTimeout);
        var consumer = _js.CreateOrderedConsumerAsync(_stream, new NatsJSOrderedConsumerOpts
        {
            DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence,
            OptStartSeq = (ulong)from,
        }, timeout.Token).AsTask().GetAwaiter().GetResult();
        var entries = new List<LogEntry>();
        var wanted = (int)Math.Min(max, to - from + 1);
        while (entries.Count < wanted && !timeout.IsCancellationRequested)
        {
            var got = 0;
            var fetch = consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = wanted - entries.Count }, cancellationToken: timeout.Token);
            foreach (var msg in Drain(fetch, timeout.Token))
            {
                got++;
                var seq = (long)msg.Metadata!.Value.Sequence.Stream;
                if (seq > to) return entries;
                if (ClusterCodec.Decode(seq, msg.Data).Case is LogEntry entry) entries.Add(entry);
            }
            if (got == 0) break;
        }
        return entries;
    }

    private static List<INatsJSMsg<byte[]>> Drain(IAsyncEnumerable<INatsJSMsg<byte[]>> messages, CancellationToken cancel)
    {
        var list = new List<INatsJSMsg<byte[]>>();
        var e = messages.GetAsyncEnumerator(cancel);
        try
        {
            while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult()) list.Add(e.Current);
        }
        finally
        {
            e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return list;
    }

    private long LastSeq()
    {
        using var timeout = new CancellationTokenSource(AckTimeout);
        var stream = _js.GetStreamAsync(_stream, cancellationToken: timeout.Token).AsTask().GetAwaiter().GetResult();
        return (long)stream.Info.State.LastSeq;
    }

    public void Start(Func<Input, bool> post)
    {
        // The room hears at once that NATS is away (and refuses SAY), not only when an append times out, and that
        // it is back (the log commits again), also when nothing was waiting to be appended.
        _nats.ConnectionDisconnected += (_, _) =>
        {
            Log.LogWarning("lost the connection to NATS at {Url}: the room refuses messages until it is back", Url);
            post(new Input.LogFailed($"lost the connection to NATS at {Url}", _clock.GetUtcNow()));
            return ValueTask.CompletedTask;
        };
        _nats.ConnectionOpened += (_, _) =>
        {
            Log.LogWarning("connected to NATS at {Url} again", Url);
            post(new Input.Committed(LanguageExt.Seq<LogEntry>.Empty, _clock.GetUtcNow()));
            return ValueTask.CompletedTask;
        };
        _running.Add(Task.Run(() => Feed(post, _stop.Token)));
        _running.Add(Task.Run(() => Listen(_hosts, m =>
        {
            var host = Encoding.UTF8.GetString(m);
            if (host != HostId) post(new Input.HostSeen(host, _clock.GetUtcNow()));
        }, _stop.Token)));
        _running.Add(Task.Run(() => Listen(WhisperSubject + HostId, m =>
        {
            if (EventCodec.Decode(Encoding.UTF8.GetString(m)).Case is ServerEvent.Whisper whisper)
                post(new Input.Relayed(whisper, _clock.GetUtcNow()));
        }, _stop.Token)));
        var me = Encoding.UTF8.GetBytes(HostId);
        _beat = _clock.CreateTimer(_ => Forget(_nats.PublishAsync(_hosts, me)), null, TimeSpan.Zero, _heartbeat);
    }

    public void Relay(Effect.Relay relay)
    {
        if (EventCodec.Encode(relay.Whisper).Case is string line)
            Forget(_nats.PublishAsync(WhisperSubject + relay.Host, Encoding.UTF8.GetBytes(line)));
    }

    /// <summary>
    /// Reads the stream from its first event, in order, for as long as the host runs, and posts what it read in
    /// batches: everything already received, up to a bound, in one <see cref="Input.Committed"/>. The ordered
    /// consumer recreates itself after NATS comes back, from the event after the last one it delivered.
    /// </summary>
    private async Task Feed(Func<Input, bool> post, CancellationToken stop)
    {
        var channel = Channel.CreateBounded<LogEntry>(new BoundedChannelOptions(8192) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(async () =>
        {
            long last = 0; // the last seq delivered: a consumer made again goes on after it
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var consumer = await _js.CreateOrderedConsumerAsync(_stream, new NatsJSOrderedConsumerOpts
                    {
                        DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence,
                        OptStartSeq = (ulong)(last + 1),
                        MaxResetAttempts = -1,
                    }, stop);
                    await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: stop))
                    {
                        var seq = (long)msg.Metadata!.Value.Sequence.Stream;
                        if (seq <= last) continue;
                        last = seq;
                        var decoded = ClusterCodec.Decode(seq, msg.Data);
                        if (decoded.Case is LogEntry entry) await channel.Writer.WriteAsync(entry, stop);
                        else Log.LogWarning("the room stream holds a message at seq {Seq} that is not a room event: skipped", seq);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    Log.LogWarning("reading the room stream failed ({Reason}); starting again", e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1), stop).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }, stop);
        var batch = new List<LogEntry>();
        try
        {
            while (await channel.Reader.WaitToReadAsync(stop))
            {
                while (batch.Count < 1024 && channel.Reader.TryRead(out var entry)) batch.Add(entry);
                post(new Input.Committed(batch.ToSeq().Strict(), _clock.GetUtcNow()));
                batch = [];
            }
        }
        catch (OperationCanceledException)
        {
        }
        await reading.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task Listen(string subject, Action<byte[]> handle, CancellationToken stop)
    {
        try
        {
            await foreach (var msg in _nats.SubscribeAsync<byte[]>(subject, cancellationToken: stop))
                if (msg.Data is { } data) handle(data);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Forget(ValueTask publishing)
    {
        if (publishing.IsCompletedSuccessfully) return;
        publishing.AsTask().ContinueWith(t => Log.LogDebug("a NATS publish failed: {Reason}", t.Exception?.GetBaseException().Message),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public void Dispose()
    {
        _beat?.Dispose();
        _stop.Cancel();
        try
        {
            Task.WaitAll([.. _running], TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }
        _nats.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(2));
        _stop.Dispose();
    }
}
