using MassTransit;
using Recontext.Contracts;

namespace Recontext.Runs.Bus;

/// <summary>
/// When a role's consumer throws (after MassTransit's retries) the bus publishes a <see cref="Fault{T}"/>; for a role
/// served by another process this is the only word the run gets. This fails the waiting step with that role's own
/// message, instead of leaving the run waiting forever.
/// </summary>
public sealed class RoleFaultConsumer(RunSessions sessions) : IConsumer<Fault<RolloutsGenerated>>, IConsumer<Fault<GenerateRollouts>>
{
    public Task Consume(ConsumeContext<Fault<RolloutsGenerated>> context) =>
        Fail(context.Message.Message.RunId, context.Message.Message.BatchId, "judge", context.Message.Message.Step, context.Message);

    public Task Consume(ConsumeContext<Fault<GenerateRollouts>> context) =>
        Fail(context.Message.Message.RunId, context.Message.Message.BatchId, "generator", context.Message.Message.Step, context.Message);

    Task Fail(string runId, Guid batchId, string role, int step, Fault fault)
    {
        if (sessions.TryGet(runId, out var session))
        {
            var reason = string.Join("; ", fault.Exceptions.Select(e => e.Message));
            session.Fail(batchId, new InvalidOperationException($"the {role} failed on step {step}: {reason}"));
        }
        return Task.CompletedTask;
    }
}
