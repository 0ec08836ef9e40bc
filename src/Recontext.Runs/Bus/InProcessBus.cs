using MassTransit;
using Recontext.Contracts;
using Recontext.Generator.Messaging;
using Recontext.Hosting;
using Recontext.Judge.Messaging;
using Recontext.Recontextualizer.Messaging;
using Recontext.Trainer.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Recontext.Runs.Bus;

/// <summary>
/// The roles' consumers in this process, on MassTransit's in-memory transport (the embedded default) or on a
/// RabbitMQ broker (<see cref="BusTransport"/>). On RabbitMQ the queues are this bus's own (a unique prefix,
/// auto-deleted when it stops) and every process bound to the broker sees every event; consumers act only on the
/// runs this process hosts (<see cref="RunSessions"/>). The services deployment moves each consumer into its
/// service's host; the contracts stay the same.
/// </summary>
public sealed class InProcessBus : IAsyncDisposable
{
    readonly ServiceProvider provider;
    readonly IBusControl bus;

    /// <summary>The coordinator's side of the runs this process drives.</summary>
    public RunSessions Sessions { get; }

    /// <summary>The policies the generator samples with in this process (the runs' own models).</summary>
    public LocalPolicies Policies { get; }

    /// <summary>The trainers of the runs this process hosts.</summary>
    public TrainerRuns Trainers { get; }

    public IPublishEndpoint Publisher => bus;

    /// <summary>The bus itself (e.g. to connect an extra receive endpoint that watches events).</summary>
    public IBus Bus => bus;

    InProcessBus(ServiceProvider provider)
    {
        this.provider = provider;
        Sessions = provider.GetRequiredService<RunSessions>();
        Policies = provider.GetRequiredService<LocalPolicies>();
        Trainers = provider.GetRequiredService<TrainerRuns>();
        bus = provider.GetRequiredService<IBusControl>();
    }

    public BusTransport Transport { get; private init; } = BusTransport.InMemory;

    public static async Task<InProcessBus> StartAsync(CancellationToken cancellation = default) => await StartAsync(BusTransport.InMemory, cancellation);

    /// <param name="remoteRoles">roles served by their own services on the broker (see <see cref="RunDeployment.RemoteRoles"/>):
    /// their consumers are left out here</param>
    /// <param name="weightsBindUrl">where this process's trainer serves policy versions to generator services (gRPC)</param>
    public static async Task<InProcessBus> StartAsync(BusTransport transport, CancellationToken cancellation = default, IReadOnlySet<string>? remoteRoles = null,
        string weightsBindUrl = RunDeployment.DefaultWeightsUrl)
    {
        remoteRoles ??= new HashSet<string>();
        if (remoteRoles.Count > 0 && transport.RabbitMq is null)
            throw new ArgumentException($"roles {string.Join(", ", remoteRoles)} run as services only over a broker: give a RabbitMQ bus");
        var sessions = new RunSessions();
        var services = new ServiceCollection();
        services.AddSingleton(sessions);
        // The coordinator always names the state folder of a trainer in its own process, so the root is a fallback.
        var trainers = new TrainerRuns(weightsBindUrl, new TrainerStateRoot(Path.Combine(Path.GetTempPath(), "recontext-trainer")));
        services.AddSingleton(trainers);
        services.AddSingleton(new LocalPolicies(runId => trainers.TryGet(runId, out var run) ? run.Policy : null));
        services.AddSingleton<IPolicySource>(p => p.GetRequiredService<LocalPolicies>());
        services.AddSingleton(GeneratorWorker.Of("(the run's process)"));
        // This process works on the batches of the runs it drives, for the roles no service serves.
        services.AddSingleton(RoleScope.InProcess(runId => sessions.TryGet(runId, out _)));
        services.AddMassTransit(x =>
        {
            if (!remoteRoles.Contains(ServiceRoles.Generator)) x.AddConsumer<GenerateRolloutsConsumer>();
            if (!remoteRoles.Contains(ServiceRoles.Judge)) x.AddConsumer<JudgeRolloutsConsumer>();
            if (!remoteRoles.Contains(ServiceRoles.Recontextualizer)) x.AddConsumer<RecontextualizeRolloutsConsumer>();
            if (!remoteRoles.Contains(ServiceRoles.Trainer))
            {
                x.AddConsumer<StartTrainingConsumer>();
                x.AddConsumer<TrainPolicyConsumer>();
                x.AddConsumer<StopTrainingConsumer>();
            }
            x.AddConsumer<CoordinatorConsumer>();
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
        var bus = new InProcessBus(provider) { Transport = transport };
        await bus.bus.StartAsync(cancellation);
        return bus;
    }

    public async ValueTask DisposeAsync()
    {
        await bus.StopAsync();
        await Trainers.DisposeAsync();   // registered as an instance: the provider does not own it
        await provider.DisposeAsync();
    }
}
