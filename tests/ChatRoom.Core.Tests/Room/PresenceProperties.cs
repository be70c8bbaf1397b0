using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

/// <summary>
/// Members of protocols 1 and 3 in a room that crosses the large-room size up and down, driven by random logins,
/// closes, messages and ticks. Each member keeps the list of who is there the way a client does (USERS, then
/// JOINED, LEFT and PRESENCE applied in the order they came): after a last tick, every member's list is the room's
/// roster, and no member was shown a seq lower than one it had seen.
/// </summary>
public class PresenceProperties
{
    public sealed record Step(int Kind, int Who, bool Three);

    private static readonly Gen<Step> OneStep =
        from kind in Gen.Frequency((5, Gen.Constant(0)), (3, Gen.Constant(1)), (2, Gen.Constant(2)), (2, Gen.Constant(3)))
        from who in Gen.Choose(0, 11)
        from three in Gen.Elements(true, true, false)
        select new Step(kind, who, three);

    [Property(MaxTest = 300)]
    public Property Every_members_list_of_who_is_there_is_the_roster_and_seqs_never_go_back() =>
        Prop.ForAll(OneStep.ListOf().Select(l => l.ToArray()).ToArbitrary(), steps =>
        {
            var room = Given(RoomSettings.Default with { PresenceBatchAt = 4, PresenceBatchMax = 3, RateLimitEnabled = false });
            var open = new Dictionary<long, string>(); // connection -> nick
            var views = new Dictionary<long, System.Collections.Generic.HashSet<string>>();
            var lastSeq = new Dictionary<long, long>();
            var backwards = 0;
            long next = 0;
            void Watch()
            {
                foreach (var id in open.Keys.ToList())
                    foreach (var e in room.To(id))
                    {
                        var view = views.GetValueOrDefault(id);
                        long seq = -1;
                        switch (e)
                        {
                            case ServerEvent.Welcome: views[id] = []; break;
                            case ServerEvent.Users u when view is not null: view.UnionWith(u.Nicks); break;
                            case ServerEvent.Joined j when view is not null: view.Add(j.Nick); seq = j.Seq; break;
                            case ServerEvent.Left l when view is not null: view.Remove(l.Nick); seq = l.Seq; break;
                            case ServerEvent.Presence p when view is not null:
                                view.UnionWith(p.Entered);
                                view.ExceptWith(p.Gone);
                                seq = p.Seq;
                                break;
                            case ServerEvent.Message m: seq = m.Seq; break;
                        }
                        if (seq < 0) continue;
                        if (seq < lastSeq.GetValueOrDefault(id)) backwards++;
                        lastSeq[id] = Math.Max(seq, lastSeq.GetValueOrDefault(id));
                    }
            }
            foreach (var step in steps)
            {
                var nick = $"u{step.Who}";
                switch (step.Kind)
                {
                    case 0 when !open.ContainsValue(nick):
                        var id = ++next;
                        open[id] = nick;
                        room.Open(id);
                        Watch();
                        if (step.Three) { room.Line(id, "PROTOCOL 3"); Watch(); }
                        room.Line(id, $"LOGIN {nick} pw");
                        Watch();
                        room.Verdict(id, nick, AuthVerdict.Accepted);
                        break;
                    case 1 when open.Count > 0:
                        var gone = open.Keys.ElementAt(step.Who % open.Count);
                        room.Close(gone);
                        open.Remove(gone);
                        views.Remove(gone);
                        break;
                    case 2 when open.Count > 0:
                        room.Line(open.Keys.ElementAt(step.Who % open.Count), $"SAY hi {step.Who}");
                        break;
                    case 3:
                        room.Tick();
                        break;
                    default:
                        continue;
                }
                Watch();
            }
            room.Tick();
            Watch();
            var roster = room.State.Roster.Values.ToHashSet();
            var wrong = views.Where(v => !v.Value.SetEquals(roster)).Select(v => $"{open[v.Key]}: {string.Join(",", v.Value.Order())}").ToList();
            return (wrong.Count == 0 && backwards == 0)
                .Label($"roster {string.Join(",", roster.Order())}; wrong views {string.Join(" | ", wrong)}; seqs back {backwards}");
        });
}
