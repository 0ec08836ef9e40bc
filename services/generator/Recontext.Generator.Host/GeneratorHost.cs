using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Recontext.Contracts;
using Recontext.Generator.Messaging;
using Recontext.Hosting;

namespace Recontext.Generator.Host;

/// <summary>
/// The generator service: <see cref="GenerateRolloutsConsumer"/> on the shared queue <see cref="QueueName"/>,
/// holding each run's current policy (<see cref="PolicyCache"/>, fetched over gRPC from the run).
/// </summary>
public static class GeneratorHost
{
    public static readonly string QueueName = ServiceRoles.Queue(ServiceRoles.Generator);
    public const int Port = 8082;

    public static string Usage => RoleHost.Usage("recontext-generator", Port);

    public static WebApplication Build(string[] args) =>
        RoleHost.Build<GenerateRolloutsConsumer>(args, "generator", QueueName, Port, (services, configuration) =>
        {
            services.AddSingleton<IPolicySource, PolicyCache>();
            services.AddSingleton(GeneratorWorker.Of(configuration["urls"] ?? $"port {Port}"));
        }, prefetch: 1);   // one chunk at a time (the policy is one model): the next chunk goes to whichever replica is free
}
