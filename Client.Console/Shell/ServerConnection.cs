using System.Net.Sockets;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Shell;

/// <summary>
/// The TCP connection to the server: opens it, writes lines, and reads bytes into framed lines on a loop of its
/// own. Socket errors never escape: they become the reason given to the loop.
/// </summary>
internal sealed class ServerConnection : IDisposable
{
    private const int ReadBufferBytes = 4096;

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private ServerConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>Connects within <paramref name="timeout"/>, or says why it could not.</summary>
    public static async Task<Either<string, ServerConnection>> Open(string host, int port, TimeSpan timeout)
    {
        var client = new TcpClient { NoDelay = true };
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await client.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            return Right<string, ServerConnection>(new ServerConnection(client));
        }
        catch (OperationCanceledException)
        {
            client.Dispose();
            return Left<string, ServerConnection>($"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (SocketException e)
        {
            client.Dispose();
            return Left<string, ServerConnection>(e.Message);
        }
    }

    /// <summary>Writes one line (LF added).</summary>
    public async Task<Option<string>> Send(string line)
    {
        try
        {
            await _stream.WriteAsync(LineFramer.ToWire(line)).ConfigureAwait(false);
            return None;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return Some(e.Message);
        }
    }

    /// <summary>
    /// Reads until the connection ends, handing each framed line (or framing error) to <paramref name="line"/>,
    /// then says why it ended.
    /// </summary>
    public async Task<string> ReadLines(Action<Fin<string>> line)
    {
        var framer = FramerState.Initial();
        var buffer = new byte[ReadBufferBytes];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0) return "the server closed the connection";
                var framed = LineFramer.Feed(framer, buffer.AsSpan(0, read));
                framer = framed.State;
                foreach (var l in framed.Lines) line(l);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return e.InnerException?.Message ?? e.Message;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
