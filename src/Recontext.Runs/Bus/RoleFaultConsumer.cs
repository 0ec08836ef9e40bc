using MassTransit;
using Recontext.Contracts;

namespace Recontext.Runs.Bus;

/// <summary>
/// When a role's consumer throws (after MassTransit's retries) the bus publishes a <see cref="Fault{T}"/>; for a role
/// served by another process this is the only word the run gets. This fails the waiting step with that role's own
/// message, instead of leaving the run waiting forever.
/// </summary>
public sealed class RoleFaultConsumer(RunSessions sessions) : IConsumer<Fault<RolloutsGenerated>>
{
    public Task Consume(ConsumeContext<Fault<RolloutsGenerated>> context)
    {
        var m = context.Message.Message;
        if (sessions.TryGet(m.RunId, out var session))
        {
            var reason = string.Join("; ", context.Message.Exceptions.Select(e => e.Message));
            session.Fail(m.BatchId, new InvalidOperationException($"the judge failed on step {m.Step}: {reason}"));
        }
        return Task.CompletedTask;
    }
}
