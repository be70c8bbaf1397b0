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
        foreach (var d in host.Held) _entries.Add(new LogEntry(_entries.Count + 1, d.At, d.Event, d.Origin) { Host = d.Host });
        host.Held.Clear();
        return this;
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
