using Microsoft.AspNetCore.Builder;
using Recontext.Contracts;
using Recontext.Hosting;
using Recontext.Recontextualizer.Messaging;

namespace Recontext.Recontextualizer.Host;

/// <summary>The recontextualizer service: <see cref="RecontextualizeRolloutsConsumer"/> on the shared queue
/// <see cref="QueueName"/>. Stateless and tensor-free: every batch brings its tasks, prompts and policy.</summary>
public static class RecontextualizerHost
{
    public static readonly string QueueName = ServiceRoles.Queue(ServiceRoles.Recontextualizer);
    public const int Port = 8083;

    public static string Usage => RoleHost.Usage("recontext-recontextualizer", Port);

    public static WebApplication Build(string[] args) =>
        RoleHost.Build<RecontextualizeRolloutsConsumer>(args, "recontextualizer", QueueName, Port);
}
