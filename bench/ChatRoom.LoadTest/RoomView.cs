using System.Text;

namespace ChatRoom.LoadTest;

/// <summary>
/// Who a load client was told is in the room, kept as a client keeps it: USERS lists add, JOINED adds, LEFT removes,
/// PRESENCE adds its + and removes its - (protocol 3). Lines arrive on the client's read loop only; read it once the
/// traffic has settled.
/// </summary>
public sealed class RoomView
{
    private readonly HashSet<string> _nicks = new(StringComparer.Ordinal);

    public IReadOnlySet<string> Nicks => _nicks;

    public void Apply(ReadOnlySpan<byte> line)
    {
        var words = Encoding.UTF8.GetString(line).Split(' ');
        switch (words[0])
        {
            case "USERS":
                foreach (var nick in words.Skip(1)) _nicks.Add(nick);
                break;
            case "JOINED":
                _nicks.Add(words[^1]);
                break;
            case "LEFT" when words.Length >= 3:
                // Protocol 1: LEFT <seq> <nick> [reason]; from 2 on the time comes after the seq.
                _nicks.Remove(words.Length >= 4 && words[2].EndsWith('Z') && words[2].Contains('T') ? words[3] : words[2]);
                break;
            case "PRESENCE":
                foreach (var change in words.Skip(2))
                    if (change.Length > 1 && change[0] == '+') _nicks.Add(change[1..]);
                    else if (change.Length > 1 && change[0] == '-') _nicks.Remove(change[1..]);
                break;
        }
    }
}
