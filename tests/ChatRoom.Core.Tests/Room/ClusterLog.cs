using ChatRoom.Core.Log;

namespace ChatRoom.Core.Tests.Room;

/// <summary>
/// One log shared by several hosts, as JetStream is in a cluster: a host's appends are committed when it
/// <see cref="Publish"/>es them (in that order, after everything published before), and every host applies the
/// whole log in order when it is <see cref="Deliver"/>ed.
/// </summary>
public sealed class ClusterLog
{
    private readonly List<LogEntry> _entries = [];
    private readonly Dictionary<Scenario, int> _applied = [];

    public IReadOnlyList<LogEntry> Entries => _entries;

    /// <summary>Commits what <paramref name="host"/> holds, after everything committed before.</summary>
    public ClusterLog Publish(Scenario host)
    {
        foreach (var d in host.Held) _inTurn[host] = Add(d);
        host.Held.Clear();
        return this;
    }

    /// <summary>
    /// Commits what <paramref name="host"/> holds as a try that went wrong and its retry would: per draft, by
    /// <paramref name="fates"/> (taken in turn), 0 stored, 1 lost, 2 stored after the rest of the try (ahead of it
    /// went a later one), 3 stored twice. The writer then counts the drafts stored in turn after its last one that
    /// counted (<c>CopyOrder.InTurn</c> in the host) and stores the rest again, in order.
    /// </summary>
    public ClusterLog PublishBadly(Scenario host, IReadOnlyList<int> fates)
    {
        var drafts = host.Held.ToList();
        host.Held.Clear();
        if (drafts.Count == 0) return this;
        var stored = new long?[drafts.Count];
        var late = new List<int>();
        for (var i = 0; i < drafts.Count; i++)
            switch (fates.Count == 0 ? 0 : fates[i % fates.Count])
            {
                case 1: break;
                case 2: late.Add(i); break;
                case 3: stored[i] = Add(drafts[i]); Add(drafts[i]); break;
                default: stored[i] = Add(drafts[i]); break;
            }
        foreach (var i in late) stored[i] = Add(drafts[i]);
        var last = _inTurn.GetValueOrDefault(host);
        var counted = 0;
        while (counted < drafts.Count && stored[counted] is long at && at > last)
        {
            last = at;
            counted++;
        }
        foreach (var draft in drafts.Skip(counted)) last = Add(draft);
        _inTurn[host] = last;
        return this;
    }

    private readonly Dictionary<Scenario, long> _inTurn = [];

    private long Add(Draft d)
    {
        _entries.Add(new LogEntry(_entries.Count + 1, d.At, d.Event, d.Origin) { Host = d.Host, Number = d.Number });
        return _entries.Count;
    }

    /// <summary>Gives <paramref name="host"/> every committed entry it has not applied yet, as one batch.</summary>
    public Scenario Deliver(Scenario host)
    {
        var from = _applied.GetValueOrDefault(host);
        _applied[host] = _entries.Count;
        return host.Receive(_entries.Skip(from).ToList());
    }

    /// <summary>Publishes what each host holds, in the order given, and delivers the log to all of them.</summary>
    public ClusterLog Round(params Scenario[] hosts)
    {
        foreach (var host in hosts) Publish(host);
        foreach (var host in hosts) Deliver(host);
        return this;
    }
}
