using MassTransit;
using Recontext.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Recontext.Runs.Bus;

/// <summary>
/// The five roles' consumers in this process, on MassTransit's in-memory transport (the embedded default) or on a
/// RabbitMQ broker (<see cref="BusTransport"/>). On RabbitMQ the queues are this bus's own (a unique prefix,
/// auto-deleted when it stops) and every process bound to the broker sees every event; consumers act only on the
/// runs this process hosts (<see cref="RunSessions"/>). The services deployment moves each consumer into its
/// service's host; the contracts stay the same.
/// </summary>
public sealed class InProcessBus : IAsyncDisposable
{
    readonly ServiceProvider provider;
    readonly IBusControl bus;

    public RunSessions Sessions { get; }

    public IPublishEndpoint Publisher => bus;

    InProcessBus(ServiceProvider provider, RunSessions sessions)
    {
        this.provider = provider;
        Sessions = sessions;
        bus = provider.GetRequiredService<IBusControl>();
    }

    public BusTransport Transport { get; private init; } = BusTransport.InMemory;

    public static async Task<InProcessBus> StartAsync(CancellationToken cancellation = default) => await StartAsync(BusTransport.InMemory, cancellation);

    /// <param name="remoteRoles">roles served by their own services on the broker (see <see cref="RunDeployment.RemoteRoles"/>):
    /// their consumers are left out here</param>
    public static async Task<InProcessBus> StartAsync(BusTransport transport, CancellationToken cancellation = default, IReadOnlySet<string>? remoteRoles = null)
    {
        remoteRoles ??= new HashSet<string>();
        if (remoteRoles.Count > 0 && transport.RabbitMq is null)
            throw new ArgumentException($"roles {string.Join(", ", remoteRoles)} run as services only over a broker: give a RabbitMQ bus");
        var sessions = new RunSessions();
        var services = new ServiceCollection();
        services.AddSingleton(sessions);
        // This process judges the unmarked batches of its own runs (marked ones go to the judge's service).
        services.AddSingleton(new Judge.Messaging.JudgeScope(m => !m.ForJudgeService && sessions.TryGet(m.RunId, out _)));
        services.AddMassTransit(x =>
        {
            if (!remoteRoles.Contains(RunDeployment.GeneratorRole)) x.AddConsumer<GenerateRolloutsConsumer>();
            if (!remoteRoles.Contains(RunDeployment.JudgeRole)) x.AddConsumer<Judge.Messaging.JudgeRolloutsConsumer>();
            x.AddConsumer<RolloutsJudgedConsumer>();
            x.AddConsumer<TrainingBatchReadyConsumer>();
            x.AddConsumer<PolicyUpdatedConsumer>();
            x.AddConsumer<EvaluatePolicyConsumer>();
            x.AddConsumer<PolicyEvaluatedConsumer>();
            x.AddConsumer<RoleFaultConsumer>();
            if (transport.RabbitMq is null)
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
                return;
            }
            x.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.AutoDelete = true;
                    rabbit.Durable = false;
                }
            });
            var prefix = $"recontext-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}-";
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.ConnectTo(transport);
                cfg.ConfigureEndpoints(context, new KebabCaseEndpointNameFormatter(prefix, false));
            });
        });
        var provider = services.BuildServiceProvider();
        var bus = new InProcessBus(provider, sessions) { Transport = transport };
        await bus.bus.StartAsync(cancellation);
        return bus;
    }

    public async ValueTask DisposeAsync()
    {
        await bus.StopAsync();
        await provider.DisposeAsync();
    }
}
