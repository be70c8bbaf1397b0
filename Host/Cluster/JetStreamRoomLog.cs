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
using NATS.Client.KeyValueStore;

namespace ChatRoom.Host;

/// <summary>
/// The room log on NATS JetStream, shared by every host of a cluster (docs/ARCHITECTURE.md, "Several hosts, one
/// room"). One stream per room, <c>CHATROOM_&lt;room&gt;</c> on the subject <c>chatroom.&lt;room&gt;.events</c>: the
/// stream's sequence is the room's seq. Each append carries its host's number for it, so that every host applies a
/// host's entries in that order and each once, whatever copies a retry after NATS went away left in the stream
/// (<see cref="Append"/>). Every host reads the whole stream in order with an
/// ordered consumer and applies it; heartbeats and relayed whispers go over plain NATS subjects.
/// </summary>
public sealed class JetStreamRoomLog : ISharedRoomLog
{
    /// <summary>How long a host waits for JetStream to acknowledge a batch before it counts as failed (and is retried).</summary>
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long the stream remembers message ids (a copy sent twice by the client is stored once; copies of a draft have ids of their own).</summary>
    private static readonly TimeSpan DuplicateWindow = TimeSpan.FromMinutes(10);

    private readonly NatsConnection _nats;
    private readonly NatsJSContext _js;
    private readonly string _stream;
    private readonly string _events;
    private readonly string _hosts;
    private readonly TimeSpan _heartbeat;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConditionalWeakTable<Draft, Copy> _copies = new();
    private long _inTurnSeq; // the stream seq of this host's last draft known to be stored in turn (written by the writer thread only)
    private readonly INatsKVStore _snapshots;
    private readonly TimeSpan _snapshotEvery;
    private long _startAfter; // the seq of the snapshot the room started from: the feed goes on after it
    private long _snapshotSeq; // the newest snapshot's seq, written or read
    private long _snapshotDue; // Environment.TickCount64 when the next may be written
    private int _snapshotting; // 1 while one is being written
    private readonly List<Task> _running = [];
    private long _nextId;
    private ITimer? _beat;

    private JetStreamRoomLog(NatsConnection nats, NatsJSContext js, INatsKVStore snapshots, string room, string hostId, TimeSpan hostTimeout,
        TimeSpan snapshotEvery, TimeProvider clock)
    {
        _nats = nats;
        _js = js;
        _snapshots = snapshots;
        _snapshotEvery = snapshotEvery;
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

    /// <summary>The key-value bucket holding room <paramref name="room"/>'s snapshot (one key, <c>roster</c>).</summary>
    public static string SnapshotBucket(string room) => $"chatroom-{room}-snapshot";

    /// <summary>A snapshot bigger than this is not written (a bucket value must fit in one NATS message).</summary>
    private const int MaxSnapshotBytes = 900 * 1024;

    /// <summary>A name for this run of this process: "h" and 12 random hex digits (a NATS subject token).</summary>
    public static string NewHostId() => "h" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>
    /// Connects to the cluster's NATS and makes sure the room's stream exists, within <paramref name="wait"/>; an
    /// error names the URL. The connection then reconnects by itself for as long as the process runs.
    /// </summary>
    /// <param name="retention">
    /// <c>Log:KeepEvents</c> and <c>Log:KeepDays</c> become the stream's limits (JetStream trims it); a starting host
    /// reads the newest snapshot, so trimming never hides who is in the room as long as a snapshot is newer than the
    /// oldest event kept.
    /// </param>
    public static Fin<JetStreamRoomLog> Open(ClusterOptions options, TimeProvider clock, TimeSpan wait, string? hostId = null, LogOptions? retention = null)
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
            var js = new NatsJSContext(nats);
            var keep = retention ?? new LogOptions();
            js.CreateOrUpdateStreamAsync(new StreamConfig(StreamName(options.Room), [$"chatroom.{options.Room}.events"])
            {
                Storage = StreamConfigStorage.File,
                DuplicateWindow = DuplicateWindow,
                Discard = StreamConfigDiscard.Old,
                MaxMsgSize = 16 * 1024,
                MaxMsgs = keep.KeepEvents > 0 ? keep.KeepEvents : -1,
                MaxAge = keep.KeepDays > 0 ? TimeSpan.FromDays(keep.KeepDays) : TimeSpan.Zero,
            }, timeout.Token).AsTask().GetAwaiter().GetResult();
            var snapshots = new NatsKVContext(js).CreateStoreAsync(new NatsKVConfig(SnapshotBucket(options.Room))
            {
                History = 1,
                Storage = NatsKVStorageType.File,
                Description = "who is in the room at a seq of its stream",
            }, timeout.Token).AsTask().GetAwaiter().GetResult();
            return new JetStreamRoomLog(nats, js, snapshots, options.Room, id, TimeSpan.FromSeconds(options.HostTimeoutSeconds),
                TimeSpan.FromSeconds(options.SnapshotSeconds), clock) { Url = options.Url };
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or TimeoutException or NatsJSApiException or NatsKVException)
        {
            nats.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return Error.New($"cannot use the cluster at {options.Url} (room stream {StreamName(options.Room)}): {e.Message}");
        }
    }

    /// <summary>
    /// Who is in the room, from the newest snapshot (if the stream still holds everything after it), its newest
    /// <paramref name="recent"/> events before it, and where the feed goes on. Without a snapshot the room starts
    /// empty and the feed replays the stream from its first event, so that who is in the room is the fold of every
    /// JOINED and LEFT it holds; if retention trimmed events no snapshot covers, that is said in the log.
    /// </summary>
    public Recovery Recover(int recent)
    {
        using var timeout = new CancellationTokenSource(AckTimeout);
        var state = _js.GetStreamAsync(_stream, cancellationToken: timeout.Token).AsTask().GetAwaiter().GetResult().Info.State;
        var first = (long)state.FirstSeq;
        var snapshot = ReadSnapshot(timeout.Token);
        if (snapshot is { } s && s.Seq + 1 >= first && s.Seq <= (long)state.LastSeq)
        {
            _startAfter = _snapshotSeq = s.Seq;
            var members = s.Members.Select(m => new LogEntry(m.Seq, DateTimeOffset.MinValue, new RoomEvent.Joined(m.Nick), new ConnectionId(m.Connection)) { Host = m.Host });
            return new Recovery(s.Seq, toSeq(Before(s.Seq + 1, recent)), LanguageExt.Seq<string>.Empty)
            {
                Members = toSeq(members.ToList()), CatchUpTo = (long)state.LastSeq,
                Numbers = toHashMap<LanguageExt.ClassInstances.EqStringOrdinal, string, long>(s.Numbers.Select(n => (n.Key, n.Value))),
                // A snapshot written before entries were numbered does not know the hosts' numbers.
                Partial = s.Numbers.Count == 0 && s.Seq > 0,
            };
        }
        if (first > 1 && state.Messages > 0)
        {
            Log.LogWarning("the room stream starts at seq {First} (retention trimmed what came before) and no snapshot covers it: " +
                           "members who joined before it and are still in the room are not known to this host", first);
            _startAfter = first - 1;
            return Recovery.Empty with { CatchUpTo = (long)state.LastSeq, Partial = true };
        }
        return Recovery.Empty with { CatchUpTo = (long)state.LastSeq };
    }

    private SnapshotFile? ReadSnapshot(CancellationToken cancel)
    {
        try
        {
            var entry = _snapshots.GetEntryAsync<byte[]>("roster", cancellationToken: cancel).AsTask().GetAwaiter().GetResult();
            return entry.Value is { } bytes ? System.Text.Json.JsonSerializer.Deserialize(bytes, SnapshotJson.Default.SnapshotFile) : null;
        }
        catch (Exception e) when (e is NatsKVKeyNotFoundException or NatsKVKeyDeletedException)
        {
            return null;
        }
        catch (System.Text.Json.JsonException e)
        {
            Log.LogWarning("the room's snapshot is not readable ({Reason}): replaying the stream instead", e.Message);
            return null;
        }
    }

    public void Snapshot(RoomState room)
    {
        var seq = room.Seq;
        if (seq <= Interlocked.Read(ref _snapshotSeq) || Environment.TickCount64 < Interlocked.Read(ref _snapshotDue)) return;
        if (Interlocked.Exchange(ref _snapshotting, 1) == 1) return;
        Interlocked.Exchange(ref _snapshotDue, Environment.TickCount64 + (long)_snapshotEvery.TotalMilliseconds);
        _ = Task.Run(async () =>
        {
            try
            {
                var members = room.Roster.Select(m => new SnapshotMember(m.Key, m.Value, room.HostOf(Syntax.FoldNick(m.Value)),
                    room.RosterOrigins.Find(Syntax.FoldNick(m.Value)).IfNone(default(ConnectionId)).Value)).ToArray();
                var numbers = room.Numbers.ToDictionary(n => n.Key, n => n.Value, StringComparer.Ordinal);
                var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new SnapshotFile(seq, members) { Numbers = numbers }, SnapshotJson.Default.SnapshotFile);
                if (bytes.Length > MaxSnapshotBytes)
                {
                    Log.LogWarning("the room's snapshot at seq {Seq} would be {Bytes} bytes: not written (starting hosts replay the stream)", seq, bytes.Length);
                    return;
                }
                using var timeout = new CancellationTokenSource(AckTimeout);
                // Never replace a newer snapshot (another host's) with an older one.
                try
                {
                    var current = await _snapshots.GetEntryAsync<byte[]>("roster", cancellationToken: timeout.Token);
                    var held = current.Value is { } b ? System.Text.Json.JsonSerializer.Deserialize(b, SnapshotJson.Default.SnapshotFile) : null;
                    if (held is not null && held.Seq >= seq) return;
                    await _snapshots.UpdateAsync("roster", bytes, current.Revision, cancellationToken: timeout.Token);
                }
                catch (Exception e) when (e is NatsKVKeyNotFoundException or NatsKVKeyDeletedException)
                {
                    await _snapshots.CreateAsync("roster", bytes, cancellationToken: timeout.Token);
                }
                Interlocked.Exchange(ref _snapshotSeq, seq);
                Log.LogDebug("snapshot written at seq {Seq} ({Members} members)", seq, members.Length);
            }
            catch (Exception e)
            {
                Log.LogDebug("writing the room's snapshot at seq {Seq} failed: {Reason}", seq, e.Message);
            }
            finally
            {
                Interlocked.Exchange(ref _snapshotting, 0);
            }
        });
    }

    /// <summary>
    /// Publishes the drafts in order, pipelined, and waits until JetStream has stored every one in turn. Returns none
    /// of them: they reach the room through the feed, in the stream's order. Every host applies this host's entries
    /// by their number (<see cref="RoomState.Numbers"/>): an entry counts only if it is stored after the one numbered
    /// before it, and copies count once. So a draft whose ack failed, or that was stored ahead of an earlier one,
    /// throws (the writer tries again with the same drafts), and that draft and every later one are published
    /// again; the drafts stored in turn already are not. Nothing here relies on JetStream's duplicate window.
    /// </summary>
    public IReadOnlyList<LogEntry> Append(IReadOnlyList<Draft> drafts)
    {
        var start = 0;
        while (start < drafts.Count && _copies.TryGetValue(drafts[start], out var done) && done.InTurn) start++;
        if (start == drafts.Count) return [];
        using var timeout = new CancellationTokenSource(AckTimeout);
        var acks = new Task<PubAckResponse>[drafts.Count - start];
        for (var i = 0; i < acks.Length; i++)
        {
            var draft = drafts[start + i];
            var copy = _copies.GetValue(draft, d => new Copy(d.Number > 0 ? d.Number : Interlocked.Increment(ref _nextId)));
            // Each copy its own id, so JetStream stores it even when an earlier copy is in the stream out of turn.
            var id = copy.Tries++ == 0 ? $"{HostId}-{copy.Id}" : $"{HostId}-{copy.Id}.{copy.Tries - 1}";
            acks[i] = _js.PublishAsync(_events, ClusterCodec.Encode(draft), headers: new NatsHeaders { ["Nats-Msg-Id"] = id },
                cancellationToken: timeout.Token).AsTask();
        }
        var stored = new long?[acks.Length];
        Exception? failed = null;
        for (var i = 0; i < acks.Length; i++)
        {
            try
            {
                var response = acks[i].GetAwaiter().GetResult();
                if (!response.Duplicate) response.EnsureSuccess();
                stored[i] = (long)response.Seq;
            }
            catch (Exception e)
            {
                failed ??= e;
            }
        }
        var (inTurn, last) = CopyOrder.InTurn(_inTurnSeq, stored);
        for (var i = 0; i < inTurn; i++) _copies.GetValue(drafts[start + i], d => new Copy(d.Number)).InTurn = true;
        _inTurnSeq = last;
        if (start + inTurn == drafts.Count) return [];
        throw failed ?? new IOException($"{acks.Length - inTurn} events were stored ahead of an earlier one of this host and are published again");
    }

    /// <summary>What this host knows about the copies of one draft it published.</summary>
    private sealed class Copy(long id)
    {
        public long Id { get; } = id;
        public int Tries { get; set; }
        public bool InTurn { get; set; }
    }

    public IReadOnlyList<LogEntry> Before(long before, int count)
    {
        if (count <= 0 || before <= 1) return [];
        var from = Math.Max(1, before - count);
        return InTurn.Only(Read(from, before - 1, count)).ToList();
    }

    public IEnumerable<LogEntry> Export(long after, DateTimeOffset since)
    {
        var last = LastSeq();
        IEnumerable<LogEntry> All()
        {
            for (var from = after + 1; from <= last; from += 1000)
                foreach (var entry in Read(from, last, 1000))
                    yield return entry;
        }
        foreach (var entry in InTurn.Only(All()))
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

    /// <summary>How many entries the feed may post ahead of what the room has applied.</summary>
    private const int FeedAhead = 8192;

    public void Start(Func<Input, bool> post, Func<long> applied)
    {
        // The room hears at once that NATS is away (and refuses SAY), not only when an append times out, and that
        // it is back (the log commits again), also when nothing was waiting to be appended.
        _nats.ConnectionDisconnected += (_, _) =>
        {
            // The room hears it before the log says so: whoever reads the log and then sends is refused.
            post(new Input.LogFailed($"lost the connection to NATS at {Url}", _clock.GetUtcNow()));
            Log.LogWarning("lost the connection to NATS at {Url}: the room refuses messages until it is back", Url);
            return ValueTask.CompletedTask;
        };
        _nats.ConnectionOpened += (_, _) =>
        {
            Log.LogWarning("connected to NATS at {Url} again", Url);
            // The room takes messages again once the stream answers (JetStream may need a moment after NATS).
            _ = Task.Run(async () =>
            {
                for (var attempt = 0; attempt < 60 && !_stop.IsCancellationRequested; attempt++)
                {
                    try
                    {
                        using var timeout = new CancellationTokenSource(AckTimeout);
                        await _js.GetStreamAsync(_stream, cancellationToken: timeout.Token);
                        post(new Input.Committed(LanguageExt.Seq<LogEntry>.Empty, _clock.GetUtcNow()));
                        return;
                    }
                    catch (Exception e) when (e is NatsException or OperationCanceledException or NatsJSApiException)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                    }
                }
            });
            return ValueTask.CompletedTask;
        };
        _running.Add(Task.Run(() => Feed(post, applied, _stop.Token)));
        // Its own heartbeat too: hearing it come back is how the room knows that this host hears the others.
        _running.Add(Task.Run(() => Listen(_hosts, m => post(new Input.HostSeen(Encoding.UTF8.GetString(m), _clock.GetUtcNow())), _stop.Token)));
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
    private async Task Feed(Func<Input, bool> post, Func<long> applied, CancellationToken stop)
    {
        var channel = Channel.CreateBounded<LogEntry>(new BoundedChannelOptions(8192) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(async () =>
        {
            var last = _startAfter; // the last seq delivered: a consumer made again goes on after it
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
                var posted = batch[^1].Seq;
                post(new Input.Committed(batch.ToSeq().Strict(), _clock.GetUtcNow()));
                batch = [];
                while (posted - applied() > FeedAhead && !stop.IsCancellationRequested) await Task.Delay(2, stop);
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

/// <summary>A snapshot of who is in the room: after applying the stream up to <paramref name="Seq"/>, these members.</summary>
public sealed record SnapshotFile(long Seq, SnapshotMember[] Members)
{
    /// <summary>Each host's last entry number applied at <see cref="Seq"/> (<see cref="RoomState.Numbers"/>); empty in snapshots written before numbers.</summary>
    public Dictionary<string, long> Numbers { get; init; } = [];
}

/// <summary>One membership: the seq of its JOINED, the nickname, the host it joined through and that host's connection.</summary>
public sealed record SnapshotMember(long Seq, string Nick, string Host, long Connection);

[System.Text.Json.Serialization.JsonSerializable(typeof(SnapshotFile))]
internal sealed partial class SnapshotJson : System.Text.Json.Serialization.JsonSerializerContext;
