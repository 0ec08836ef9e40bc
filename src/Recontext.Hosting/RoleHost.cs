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
/// The shape every role's service shares: one MassTransit consumer on a durable shared queue of the RabbitMQ broker
/// given by <c>--bus</c> (or RECONTEXT_BUS_URL), so replicas compete for messages and messages wait while none is
/// up; Prometheus metrics on <c>/metrics</c>; the bus's health on <c>/health</c>.
/// </summary>
public static class RoleHost
{
    public static string Usage(string service, int port) => $"""
        usage: {service} --bus rabbitmq://user:password@host:5672/ [--urls http://0.0.0.0:{port}]
          --bus   the RabbitMQ broker the runs publish to (or RECONTEXT_BUS_URL)
          --urls  where /metrics and /health are served (ASP.NET Core's own option; default http://0.0.0.0:{port})
        """;

    /// <param name="queue">the role's shared queue</param>
    /// <param name="services">the consumer's own dependencies</param>
    /// <exception cref="ArgumentException">no or a bad --bus (the message names it)</exception>
    public static WebApplication Build<TConsumer>(string[] args, string service, string queue, int port, Action<IServiceCollection>? services = null)
        where TConsumer : class, IConsumer
    {
        var builder = WebApplication.CreateBuilder(args);
        var busUrl = builder.Configuration["bus"] ?? Environment.GetEnvironmentVariable("RECONTEXT_BUS_URL")
                     ?? throw new ArgumentException("bus: give the RabbitMQ broker with --bus rabbitmq://host:5672/ (or RECONTEXT_BUS_URL)");
        var transport = BusTransport.Parse(busUrl);
        if (transport.RabbitMq is null) throw new ArgumentException($"bus: the {service} service needs a RabbitMQ broker");
        if (builder.Configuration["urls"] is null) builder.WebHost.UseUrls($"http://0.0.0.0:{port}");

        // A service takes the batches that name its role as served by a service (see RoleScope).
        builder.Services.AddSingleton(RoleScope.Service);
        services?.Invoke(builder.Services);
        builder.Services.AddHealthChecks();
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<TConsumer>();
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.ConnectTo(transport);
                cfg.ReceiveEndpoint(queue, e => e.ConfigureConsumer<TConsumer>(context));
            });
        });

        var app = builder.Build();
        app.MapMetrics("/metrics");
        app.MapHealthChecks("/health");
        app.MapGet("/", () => Results.Text($"recontext {service}: consumes queue {queue} on {transport}; /metrics, /health\n"));
        return app;
    }
}
