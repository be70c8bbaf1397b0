using System.Text;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

/// <summary>
/// The USERS lines a newcomer is sent are kept in the room between logins (RoomState.UsersLines) and grown at the
/// end: whatever the logins and leaves before, they list the roster in order, each as full as the line limit allows,
/// exactly as a split made afresh; and a newcomer right after another shares every line but the last.
/// </summary>
public class UsersLinesProperties
{
    private const int LineLimit = 64;

    private static readonly Gen<(bool Login, int Who)> OneStep =
        from login in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from who in Gen.Choose(0, 39)
        select (login, who);

    private static int Size(ServerEvent.Users line) => Encoding.UTF8.GetByteCount(EventCodec.Encode(line, 3).IfFail("")) + 1;

    [Property(MaxTest = 200)]
    public Property A_newcomers_users_lines_are_the_roster_split_greedily_and_shared_with_the_one_before() =>
        Prop.ForAll(OneStep.ListOf().Select(l => l.ToArray()).ToArbitrary(), steps =>
        {
            var room = Given(RoomSettings.Default with { MaxLineBytes = LineLimit, RateLimitEnabled = false });
            var open = new Dictionary<long, string>();
            long next = 0;
            Seq<ServerEvent.Users> previous = default;
            var problems = new List<string>();
            var shared = 0;
            foreach (var (login, who) in steps)
            {
                if (!login)
                {
                    if (open.Count == 0) continue;
                    room.Close(open.Keys.ElementAt(who % open.Count));
                    open.Remove(open.Keys.ElementAt(who % open.Count));
                    previous = default;
                    continue;
                }
                var nick = who % 3 == 0 ? $"user-with-a-long-name-{who}"[..16] : $"u{who}";
                if (open.ContainsValue(nick)) continue;
                var id = ++next;
                open[id] = nick;
                room.LoggedIn(id, nick);
                var lines = room.To(id).OfType<ServerEvent.Users>().ToSeq().Strict();
                var listed = lines.Bind(l => l.Nicks).ToList();
                if (!listed.SequenceEqual(room.State.Roster.Values)) problems.Add($"{nick}: lists {string.Join(",", listed)}");
                if (lines.Exists(l => Size(l) > LineLimit)) problems.Add($"{nick}: a line over the limit");
                for (var i = 0; i + 1 < lines.Count; i++)
                    if (Size(lines[i]) + 1 + Encoding.UTF8.GetByteCount(lines[i + 1].Nicks.Head) <= LineLimit)
                        problems.Add($"{nick}: line {i} could have held the next nick");
                if (!previous.IsEmpty && lines.Count >= previous.Count)
                {
                    for (var i = 0; i + 1 < previous.Count; i++)
                        if (!ReferenceEquals(previous[i], lines[i])) problems.Add($"{nick}: line {i} not shared with the newcomer before");
                    shared++;
                }
                previous = lines;
            }
            return (problems.Count == 0).Label(string.Join("; ", problems.Take(5))).Classify(shared > 3, "several newcomers shared lines");
        });
}
