using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Recontext.Contracts;
using Recontext.Hosting;
using Recontext.Judge.Messaging;

namespace Recontext.Judge.Host;

/// <summary>The judge service: <see cref="JudgeRolloutsConsumer"/> on the shared queue <see cref="QueueName"/>.</summary>
public static class JudgeHost
{
    public static readonly string QueueName = ServiceRoles.Queue(ServiceRoles.Judge);
    public const int Port = 8081;

    public static string Usage => RoleHost.Usage("recontext-judge", Port);

    public static WebApplication Build(string[] args) =>
        RoleHost.Build<JudgeRolloutsConsumer>(args, "judge", QueueName, Port);
}
