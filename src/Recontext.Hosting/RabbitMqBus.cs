using MassTransit;

namespace Recontext.Hosting;

/// <summary>How every Recontext process connects MassTransit to RabbitMQ.</summary>
public static class RabbitMqBus
{
    /// <summary>Points the bus at the transport's broker with its credentials.</summary>
    public static void ConnectTo(this IRabbitMqBusFactoryConfigurator cfg, BusTransport transport)
    {
        var broker = transport.RabbitMq ?? throw new ArgumentException("the transport is in memory, not RabbitMQ");
        cfg.Host(broker, h =>
        {
            h.Username(transport.Username);
            h.Password(transport.Password);
        });
    }
}
