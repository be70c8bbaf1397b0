using ChatRoom.Core.Auth;
using ChatRoom.Core.Room;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

/// <summary>
/// Three hosts on one log, driven by random logins, closes, messages, silences (a host unheard past the timeout),
/// random orders of publishing and delivering, and tries that store copies lost, late or twice before their retry:
/// once everything is committed and delivered, every host holds the same roster, and it is exactly the members the
/// hosts have in the room; every host applied each host's appends once; no message was shown twice; and unless a
/// host fell silent, no member was ever let go for it.
/// </summary>
public class ClusterProperties
{
    /// <summary>One step: what, on which host (0-2), which connection (1-4) and which nickname.</summary>
    public sealed record Step(int Kind, int Host, int Connection, string Nick);

    private static readonly Gen<Step> OneStep =
        from kind in Gen.Frequency((5, Gen.Constant(0)), (2, Gen.Constant(1)), (2, Gen.Constant(2)), (4, Gen.Constant(3)), (4, Gen.Constant(4)), (1, Gen.Constant(5)), (2, Gen.Constant(6)))
        from host in Gen.Choose(0, 2)
        from connection in Gen.Choose(1, 4)
        from nick in Gen.Elements("ann", "Ann", "bob", "cat")
        select new Step(kind, host, connection, nick);

    [Property(MaxTest = 300)]
    public Property Every_host_ends_with_the_same_roster_and_it_is_exactly_the_members_in_the_room() =>
        Prop.ForAll(OneStep.ListOf().Select(l => l.ToArray()).ToArbitrary(), steps =>
        {
            Scenario[] hosts = [GivenHost("h0"), GivenHost("h1"), GivenHost("h2")];
            var log = new ClusterLog();
            var next = new long[3];
            var open = new List<long>[] { [], [], [] };
            var silenced = false;
            var wronglyDropped = 0;
            var said = new[] { new List<string>(), new List<string>(), new List<string>() }; // what each host broadcast
            void Check(Scenario h)
            {
                if (!silenced && h.Effects.Exists(e => e is Effect.Send { Event: ChatRoom.Core.Protocol.ServerEvent.Bye { Reason: ChatRoom.Core.Room.Room.HostLost } })) wronglyDropped++;
                foreach (var e in h.Effects)
                    if (e is Effect.Broadcast { Event: ChatRoom.Core.Protocol.ServerEvent.Message m }) said[System.Array.IndexOf(hosts, h)].Add(m.Text);
            }
            foreach (var step in steps)
            {
                var host = hosts[step.Host];
                var id = step.Host * 1000 + ++next[step.Host]; // ids are never reused, as the shell's are not
                switch (step.Kind)
                {
                    case 0: // a login, accepted
                        host.Open(id).Line(id, $"LOGIN {step.Nick} pw").Verdict(id, step.Nick, AuthVerdict.Accepted);
                        open[step.Host].Add(id);
                        break;
                    case 1 when open[step.Host].Count > 0: // a connection goes
                        var gone = open[step.Host][step.Connection % open[step.Host].Count];
                        open[step.Host].Remove(gone);
                        host.Close(gone);
                        break;
                    case 2 when open[step.Host].Count > 0:
                        host.Line(open[step.Host][step.Connection % open[step.Host].Count], $"SAY hi {id}");
                        break;
                    case 3:
                        log.Publish(host);
                        break;
                    case 6: // a try that went wrong (lost, late and doubled copies) and its retry
                        log.PublishBadly(host, [step.Connection % 4, (step.Connection + step.Nick.Length) % 4, 0]);
                        break;
                    case 4:
                        Check(log.Deliver(host));
                        break;
                    case 5: // the others hear nothing from this host for longer than the timeout
                        silenced = true;
                        foreach (var other in hosts)
                            if (other != host) other.Live(11);
                        break;
                }
            }
            // Quiescence: everything published and delivered, a bounded number of rounds.
            for (var round = 0; round < 6; round++)
            {
                foreach (var host in hosts) log.Publish(host);
                foreach (var host in hosts) Check(log.Deliver(host));
            }

            var rosters = hosts.Select(h => string.Join(",", h.State.Roster.Values)).ToList();
            var same = rosters.Distinct().Count() == 1;
            var listed = hosts[0].State.Roster.Values.Select(n => (Folded: ChatRoom.Core.Protocol.Syntax.FoldNick(n), Host: hosts[0].State.HostOf(ChatRoom.Core.Protocol.Syntax.FoldNick(n))))
                .OrderBy(x => x.Folded).ToList();
            var members = hosts.SelectMany(h => h.State.Sessions.Values.Where(s => s.Phase == Phase.InRoom)
                    .Select(s => (Folded: ChatRoom.Core.Protocol.Syntax.FoldNick(s.Nick), Host: h.State.Host)))
                .OrderBy(x => x.Folded).ToList();
            var pending = hosts.Sum(h => h.State.Uncommitted);
            // Every host applied every host's appends, each once: its numbers reached what each host asked for.
            var applied = hosts.All(h => hosts.All(writer => h.State.Numbers.Find(writer.State.Host).IfNone(0) == writer.State.Appended));
            var once = said.All(s => s.Count == s.Distinct().Count());
            return (same && listed.SequenceEqual(members) && pending == 0 && wronglyDropped == 0 && applied && once)
                .Label($"rosters {string.Join(" | ", rosters)}; listed {string.Join(",", listed)}; members {string.Join(",", members)}; uncommitted {pending}; dropped without a silence {wronglyDropped}; all applied {applied}; each message once {once}\nLOG\n{string.Join("\n", log.Entries.Select(e => $"{e.Seq} {e.Host} #{e.Origin.Value} {e.Event}"))}\nSESSIONS {string.Join(" ", hosts.SelectMany(h => h.State.Sessions.Values.Select(x => $"{h.State.Host}:{x.Id.Value}:{x.Nick}:{x.Phase}:{x.Joining}")))}");
        });
}
