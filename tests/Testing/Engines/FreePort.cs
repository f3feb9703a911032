using System.Net;
using System.Net.Sockets;

namespace Kinesis.Clients.Testing;

/// <summary>Picks loopback TCP ports that are free at the moment of asking.</summary>
internal static class FreePort
{
    /// <summary>
    /// Asks the OS for an unused port by binding port 0 and releasing it. Another process can take it before
    /// the engine binds it; the launcher notices the engine exiting and starts it again on new ports.
    /// </summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary><paramref name="count"/> distinct free ports.</summary>
    public static int[] Next(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(Next());
        }

        return [.. ports];
    }
}
