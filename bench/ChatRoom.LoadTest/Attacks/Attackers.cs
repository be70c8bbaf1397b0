using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatRoom.LoadTest.Attacks;

/// <summary>The anonymous clients of the attacks: they never need an account, and they count what they met.</summary>
public static class Attackers
{
    /// <summary>Connects, sends <paramref name="bytes"/> and closes at once, without reading. False if it could not connect.</summary>
    public static async Task<bool> FireAndForget(Target target, IPAddress source, byte[] bytes)
    {
        try
        {
            using var client = await RawClient.Connect(target.Endpoint, source, TimeSpan.FromSeconds(5));
            await client.Send(bytes);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Opens <paramref name="count"/> connections (source address by index) that each send one LOGIN for an
    /// unknown nick and wait for its answer; the caller disposes them. Failed connects are left out.
    /// </summary>
    public static async Task<List<RawClient>> HoldLogins(Target target, int count, Func<int, IPAddress> sourceOf, string nickPrefix)
    {
        var opened = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            try
            {
                var client = await RawClient.Connect(target.Endpoint, sourceOf(i), TimeSpan.FromSeconds(5));
                await client.Send($"LOGIN {nickPrefix}{i} wrong");
                return client;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                return null;
            }
        }));
        return opened.Where(c => c is not null).Select(c => c!).ToList();
    }

    /// <summary>A LOGIN line for an unknown nick with a password of <paramref name="passwordBytes"/> bytes.</summary>
    public static byte[] Login(string nick, int passwordBytes) =>
        Encoding.ASCII.GetBytes($"LOGIN {nick} {new string('p', Math.Max(1, passwordBytes))}\n");

    /// <summary><paramref name="bytes"/> of back-to-back copies of <paramref name="line"/> (ending in LF), for floods.</summary>
    public static byte[] Repeat(string line, int bytes)
    {
        var one = Encoding.ASCII.GetBytes(line + "\n");
        var buffer = new byte[Math.Max(one.Length, bytes / one.Length * one.Length)];
        for (var at = 0; at + one.Length <= buffer.Length; at += one.Length) one.CopyTo(buffer, at);
        return buffer;
    }
}
