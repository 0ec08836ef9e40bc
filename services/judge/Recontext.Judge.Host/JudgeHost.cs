using MassTransit;
using Prometheus;
using Recontext.Hosting;
using Recontext.Judge.Messaging;

namespace Recontext.Judge.Host;

/// <summary>
/// Builds the judge service: <see cref="JudgeRolloutsConsumer"/> on the shared queue <see cref="QueueName"/> (judge
/// replicas compete for batches), Prometheus metrics on /metrics, the bus's health on /health.
/// </summary>
public static class JudgeHost
{
    public const string QueueName = "recontext-judge";

    public const string Usage = """
        usage: recontext-judge --bus rabbitmq://user:password@host:5672/ [--urls http://0.0.0.0:8081]
          --bus   the RabbitMQ broker the runs publish to (or RECONTEXT_BUS_URL)
          --urls  where /metrics and /health are served (ASP.NET Core's own option; default http://0.0.0.0:8081)
        """;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var busUrl = builder.Configuration["bus"] ?? Environment.GetEnvironmentVariable("RECONTEXT_BUS_URL")
                     ?? throw new ArgumentException("bus: give the RabbitMQ broker with --bus rabbitmq://host:5672/ (or RECONTEXT_BUS_URL)");
        var transport = BusTransport.Parse(busUrl);
        if (transport.RabbitMq is null) throw new ArgumentException("bus: the judge service needs a RabbitMQ broker");
        if (builder.Configuration["urls"] is null) builder.WebHost.UseUrls("http://0.0.0.0:8081");

        builder.Services.AddHealthChecks();
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<JudgeRolloutsConsumer>();
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.ConnectTo(transport);
                cfg.ReceiveEndpoint(QueueName, e => e.ConfigureConsumer<JudgeRolloutsConsumer>(context));
            });
        });

        var app = builder.Build();
        app.MapMetrics("/metrics");
        app.MapHealthChecks("/health");
        app.MapGet("/", () => Results.Text("recontext judge: scores RolloutsGenerated from the bus; /metrics, /health\n"));
        return app;
    }
}
