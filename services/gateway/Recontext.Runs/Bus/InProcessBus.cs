using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Recontext.Contracts;
using Recontext.Generator.Messaging;
using Recontext.Hosting;
using Recontext.Judge.Messaging;
using Recontext.Recontextualizer.Messaging;
using Recontext.Trainer.Messaging;

namespace Recontext.Runs.Bus;

/// <summary>
/// The roles' consumers in this process, on MassTransit's in-memory transport (the embedded default) or on a
/// RabbitMQ broker (<see cref="BusTransport"/>). The coordinator sends each command to one role's queue
/// (<see cref="RoleAddresses"/>): this process's own queue for the role, or the shared queue of the role's service, so
/// no role ever sees another's commands. The roles publish their events; every process bound to the broker hears
/// them and the coordinator acts only on the runs this process hosts (<see cref="RunSessions"/>). The
/// queues of a bus that serves one run are named after it and durable, so that a broker restart loses none of the
/// events the run awaits (they expire an hour after the run's process left them); a bus of no one run has queues of a
/// unique prefix, deleted when it stops. The services deployment moves each consumer into its service's host; the
/// contracts stay the same.
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

    /// <summary>Where each role's commands go.</summary>
    public RoleAddresses Roles { get; }

    /// <summary>Sends a command to the queue of the role that serves it (<see cref="Roles"/>).</summary>
    public async Task SendAsync<T>(string role, T command, CancellationToken cancellation = default) where T : class =>
        await (await bus.GetSendEndpoint(Roles.Of(role))).Send(command, cancellation);

    /// <summary>The bus itself (e.g. to connect an extra receive endpoint that watches events).</summary>
    public IBus Bus => bus;

    InProcessBus(ServiceProvider provider)
    {
        this.provider = provider;
        Sessions = provider.GetRequiredService<RunSessions>();
        Policies = provider.GetRequiredService<LocalPolicies>();
        Trainers = provider.GetRequiredService<TrainerRuns>();
        Roles = provider.GetRequiredService<RoleAddresses>();
        bus = provider.GetRequiredService<IBusControl>();
    }

    public BusTransport Transport { get; private init; } = BusTransport.InMemory;

    public static async Task<InProcessBus> StartAsync(CancellationToken cancellation = default) => await StartAsync(BusTransport.InMemory, cancellation);

    /// <param name="remoteRoles">roles served by their own services on the broker (see <see cref="RunDeployment.RemoteRoles"/>):
    /// their consumers are left out here</param>
    /// <param name="weightsBindUrl">where this process's trainer serves policy versions to generator services (gRPC)</param>
    /// <param name="runId">the one run this bus serves, whose queues on a broker are named after it and durable; null:
    /// queues of this bus alone, deleted when it stops</param>
    public static async Task<InProcessBus> StartAsync(BusTransport transport, CancellationToken cancellation = default, IReadOnlySet<string>? remoteRoles = null,
        string weightsBindUrl = RunDeployment.DefaultWeightsUrl, string? runId = null)
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
        var prefix = runId is null ? $"recontext-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}-" : $"recontext-run-{QueueKey(runId)}-";
        var roles = new RoleAddresses(prefix, remoteRoles);
        services.AddSingleton(roles);
        // This process serves the roles no service serves, each on a queue of its own that only commands reach.
        var local = new Dictionary<string, Type[]>
        {
            [ServiceRoles.Generator] = [typeof(GenerateRolloutsConsumer)],
            [ServiceRoles.Judge] = [typeof(JudgeRolloutsConsumer)],
            [ServiceRoles.Recontextualizer] = [typeof(RecontextualizeRolloutsConsumer)],
            [ServiceRoles.Trainer] = [typeof(StartTrainingConsumer), typeof(TrainPolicyConsumer), typeof(StopTrainingConsumer)],
        }.Where(r => !remoteRoles.Contains(r.Key)).ToList();
        services.AddMassTransit(x =>
        {
            foreach (var consumer in local.SelectMany(r => r.Value)) x.AddConsumer(consumer).ExcludeFromConfigureEndpoints();
            // A forward that fails (the broker going away mid-send) is tried again in place before the event is given up.
            x.AddConsumer<CoordinatorConsumer>((_, c) => c.UseMessageRetry(r => r.Interval(30, TimeSpan.FromSeconds(1))));
            x.AddConsumer<RoleFaultConsumer>();
            if (transport.RabbitMq is null)
            {
                x.UsingInMemory((context, cfg) =>
                {
                    foreach (var (role, consumers) in local) cfg.ReceiveEndpoint(roles.LocalQueue(role), e => RoleEndpoint(e, context, roles, role, consumers));
                    cfg.ConfigureEndpoints(context);
                });
                return;
            }
            x.AddConfigureEndpointsCallback((_, _, endpoint) => Lifetime(endpoint, runId));
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.ConnectTo(transport);
                foreach (var (role, consumers) in local)
                    cfg.ReceiveEndpoint(roles.LocalQueue(role), e =>
                    {
                        Lifetime(e, runId);
                        RoleEndpoint(e, context, roles, role, consumers);
                    });
                cfg.ConfigureEndpoints(context, new KebabCaseEndpointNameFormatter(prefix, false));
            });
        });
        var provider = services.BuildServiceProvider();
        var bus = new InProcessBus(provider) { Transport = transport };
        await bus.bus.StartAsync(cancellation);
        return bus;
    }

    /// <summary>A role's queue takes the commands sent to it and subscribes to no published message.</summary>
    static void RoleEndpoint(IReceiveEndpointConfigurator endpoint, IBusRegistrationContext context, RoleAddresses roles, string role, Type[] consumers)
    {
        endpoint.ConfigureConsumeTopology = false;
        roles.Bind(role, endpoint.InputAddress);
        foreach (var consumer in consumers) endpoint.ConfigureConsumer(context, consumer);
    }

    /// <summary>On RabbitMQ: the queues of a bus of no one run are deleted with it; a run's are durable and outlive
    /// their last consumer by <see cref="QueueExpiry"/>.</summary>
    static void Lifetime(IReceiveEndpointConfigurator endpoint, string? runId)
    {
        if (endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit) return;
        if (runId is null)
        {
            rabbit.AutoDelete = true;
            rabbit.Durable = false;
            return;
        }
        rabbit.Durable = true;
        rabbit.AutoDelete = false;
        rabbit.SetQueueArgument("x-expires", QueueExpiry);
    }

    /// <summary>How long the durable queues of a run's bus outlive their last consumer (a run resumed within it picks up
    /// what waited there).</summary>
    public static readonly TimeSpan QueueExpiry = TimeSpan.FromHours(1);

    /// <summary>A queue-name-safe key of a run id (which holds slashes).</summary>
    static string QueueKey(string runId) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(runId)))[..16].ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        await bus.StopAsync();
        await Trainers.DisposeAsync();   // registered as an instance: the provider does not own it
        await provider.DisposeAsync();
    }
}
