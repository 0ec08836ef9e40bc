using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Recontext.Contracts;

namespace Recontext.Hosting;

/// <summary>
/// The shape every role's service shares: the role's MassTransit consumers on one durable shared queue of the
/// RabbitMQ broker given by <c>--bus</c> (or RECONTEXT_BUS_URL), so replicas compete for messages and messages wait
/// while none is up; Prometheus metrics on <c>/metrics</c>; <c>/alive</c> and the bus's health on <c>/health</c>
/// (<see cref="ServiceHealth"/>).
/// </summary>
public static class RoleHost
{
    public static string Usage(string service, int port) => $"""
        usage: {service} --bus rabbitmq://user:password@host:5672/ [--urls http://127.0.0.1:{port}]
          --bus   the RabbitMQ broker the runs publish to (or RECONTEXT_BUS_URL)
          --urls  where /metrics and /health are served (ASP.NET Core's own option; default http://127.0.0.1:{port},
                  loopback only: give http://0.0.0.0:{port} to serve other machines)
        """;

    /// <param name="queue">the role's shared queue</param>
    /// <param name="services">the consumers' own dependencies (from the host's configuration)</param>
    /// <param name="prefetch">messages the broker hands this host ahead of finishing one (MassTransit's default when
    /// null); 1 for a role that works one batch at a time, so a waiting batch goes to an idle replica instead of
    /// queueing behind a busy one</param>
    /// <exception cref="ArgumentException">no or a bad --bus (the message names it)</exception>
    public static WebApplication Build<TConsumer>(string[] args, string service, string queue, int port, Action<IServiceCollection, IConfiguration>? services = null,
        int? prefetch = null)
        where TConsumer : class, IConsumer =>
        Build(args, service, queue, port, [typeof(TConsumer)], services, prefetch);

    /// <param name="consumers">the role's consumer types, all on <paramref name="queue"/></param>
    public static WebApplication Build(string[] args, string service, string queue, int port, Type[] consumers, Action<IServiceCollection, IConfiguration>? services = null,
        int? prefetch = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var busUrl = builder.Configuration["bus"] ?? Environment.GetEnvironmentVariable("RECONTEXT_BUS_URL")
                     ?? throw new ArgumentException("bus: give the RabbitMQ broker with --bus rabbitmq://host:5672/ (or RECONTEXT_BUS_URL)");
        var transport = BusTransport.Parse(busUrl);
        if (transport.RabbitMq is null) throw new ArgumentException($"bus: the {service} service needs a RabbitMQ broker");
        transport.Check();   // start-up fails in seconds naming the bus, rather than retrying a broker that is not there
        if (builder.Configuration["urls"] is null) builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

        services?.Invoke(builder.Services, builder.Configuration);
        builder.Services.AddServiceHealth();
        builder.Services.AddMassTransit(x =>
        {
            foreach (var consumer in consumers) x.AddConsumer(consumer);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.ConnectTo(transport);
                cfg.ReceiveEndpoint(queue, e =>
                {
                    // Commands are sent to this queue; it subscribes to no published message.
                    e.ConfigureConsumeTopology = false;
                    if (prefetch is int count)
                    {
                        e.PrefetchCount = count;
                        e.ConcurrentMessageLimit = count;
                    }
                    e.ConfigureConsumers(context);
                });
            });
        });

        var app = builder.Build();
        app.MapMetrics("/metrics");
        app.MapServiceHealth();
        app.MapGet("/", () => Results.Text($"recontext {service}: consumes queue {queue} on {transport}; /metrics, /health, /alive\n"));
        return app;
    }
}
