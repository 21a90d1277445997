using System.Net;
using System.Net.Sockets;

namespace Bulwark.Interop.Tests.Infrastructure;

/// <summary>A free TCP port on 127.0.0.1 for a test server (free when asked; another process may still take it before it is bound).</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
