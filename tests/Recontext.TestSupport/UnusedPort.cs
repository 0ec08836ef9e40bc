namespace Recontext.TestSupport;

/// <summary>A loopback port nothing listens on (the system's pick, released at once): a connection to it is refused.</summary>
public static class UnusedPort
{
    public static int Next()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
