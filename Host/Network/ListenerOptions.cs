using System.Net.Sockets;

namespace ChatRoom.Host;

/// <summary>
/// How the listening socket is set up so that a restart can bind at once but a second server cannot share the
/// port. .NET's <see cref="SocketOptionName.ReuseAddress"/> sets SO_REUSEPORT as well on Linux, which let two
/// servers listen on one port and split the logins between two rooms; plain SO_REUSEADDR only allows binding
/// while old connections linger in TIME_WAIT, and a port someone listens on stays refused (EADDRINUSE).
/// </summary>
internal static class ListenerOptions
{
    private const int SolSocket = 1;   // Linux
    private const int SoReuseAddr = 2; // Linux

    public static void AllowRestartButNotSharing(Socket listener)
    {
        if (OperatingSystem.IsLinux()) listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        else if (OperatingSystem.IsWindows()) listener.ExclusiveAddressUse = true;
    }
}
