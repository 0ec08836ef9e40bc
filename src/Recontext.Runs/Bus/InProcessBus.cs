using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Recontext.Runs.Bus;

/// <summary>
/// The five roles on MassTransit's in-memory transport, in this process (the embedded default). The services
/// deployment swaps this for RabbitMQ and one host per role; the contracts and consumers stay the same.
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

    public static async Task<InProcessBus> StartAsync(CancellationToken cancellation = default)
    {
        var sessions = new RunSessions();
        var services = new ServiceCollection();
        services.AddSingleton(sessions);
        services.AddMassTransit(x =>
        {
            x.AddConsumer<GenerateRolloutsConsumer>();
            x.AddConsumer<RolloutsGeneratedConsumer>();
            x.AddConsumer<RolloutsJudgedConsumer>();
            x.AddConsumer<TrainingBatchReadyConsumer>();
            x.AddConsumer<PolicyUpdatedConsumer>();
            x.AddConsumer<EvaluatePolicyConsumer>();
            x.AddConsumer<PolicyEvaluatedConsumer>();
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        var provider = services.BuildServiceProvider();
        var bus = new InProcessBus(provider, sessions);
        await bus.bus.StartAsync(cancellation);
        return bus;
    }

    public async ValueTask DisposeAsync()
    {
        await bus.StopAsync();
        await provider.DisposeAsync();
    }
}
