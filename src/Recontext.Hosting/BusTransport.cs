using System.Net.Sockets;

namespace Recontext.Hosting;

/// <summary>
/// The transport the roles' messages travel on: MassTransit's in-memory transport (the embedded default), or a
/// RabbitMQ broker (<c>rabbitmq://user:password@host:5672/vhost</c>; guest/guest when the URL names no user).
/// </summary>
public sealed record BusTransport
{
    /// <summary>null: in memory.</summary>
    public Uri? RabbitMq { get; private init; }

    public string Username { get; private init; } = "guest";

    public string Password { get; private init; } = "guest";

    public static BusTransport InMemory { get; } = new();

    public override string ToString() => RabbitMq is null ? "in-memory" : $"RabbitMQ at {RabbitMq}";

    /// <param name="url">null for in memory, else a rabbitmq:// or amqp:// URL</param>
    public static BusTransport Parse(string? url)
    {
        if (url is null) return InMemory;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("rabbitmq" or "amqp") || string.IsNullOrEmpty(uri.Host))
            throw new ArgumentException($"bus must be a rabbitmq://host[:port][/vhost] or amqp://host[:port][/vhost] URL (or absent for the in-memory transport), got '{url}'");
        var user = uri.UserInfo.Split(':', 2);
        var port = uri.IsDefaultPort || uri.Port <= 0 ? 5672 : uri.Port;
        return new BusTransport
        {
            RabbitMq = new UriBuilder("rabbitmq", uri.Host, port, uri.AbsolutePath).Uri,
            Username = user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : "guest",
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : "guest",
        };
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the bus when no broker accepts a connection within
    /// 5 s, so a command fails before its work rather than hanging in the bus's reconnect loop.</summary>
    public void Check()
    {
        if (RabbitMq is null) return;
        using var client = new TcpClient();
        try
        {
            if (!client.ConnectAsync(RabbitMq.Host, RabbitMq.Port).Wait(TimeSpan.FromSeconds(5)))
                throw new ArgumentException($"bus: no RabbitMQ answered at {RabbitMq.Host}:{RabbitMq.Port} within 5 s");
        }
        catch (AggregateException e) when (e.InnerException is SocketException s)
        {
            throw new ArgumentException($"bus: no RabbitMQ at {RabbitMq.Host}:{RabbitMq.Port} ({s.SocketErrorCode})", e);
        }
    }
}
