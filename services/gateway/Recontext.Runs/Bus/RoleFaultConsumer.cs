using MassTransit;
using Recontext.Contracts;

namespace Recontext.Runs.Bus;

/// <summary>
/// When a role's consumer throws (after MassTransit's retries) the bus publishes a <see cref="Fault{T}"/>; for a role
/// served by another process this is the only word the run gets. This fails the waiting step (or evaluation) with
/// that role's own message, instead of leaving the run waiting forever.
/// </summary>
public sealed class RoleFaultConsumer(RunSessions sessions)
    : IConsumer<Fault<GenerateRollouts>>, IConsumer<Fault<JudgeRollouts>>, IConsumer<Fault<RecontextualizeRollouts>>, IConsumer<Fault<TrainPolicy>>,
      IConsumer<Fault<StartTraining>>
{
    public Task Consume(ConsumeContext<Fault<GenerateRollouts>> context) =>
        Fail(context.Message.Message.RunId, context.Message.Message.BatchId, ServiceRoles.Generator, context.Message.Message.Step, context.Message);

    public Task Consume(ConsumeContext<Fault<JudgeRollouts>> context) =>
        Fail(context.Message.Message.Rollouts.RunId, context.Message.Message.Rollouts.BatchId, ServiceRoles.Judge, context.Message.Message.Rollouts.Step, context.Message);

    public Task Consume(ConsumeContext<Fault<RecontextualizeRollouts>> context) =>
        Fail(context.Message.Message.Batch.RunId, context.Message.Message.Batch.BatchId, ServiceRoles.Recontextualizer, context.Message.Message.Batch.Step, context.Message);

    public Task Consume(ConsumeContext<Fault<TrainPolicy>> context) =>
        Fail(context.Message.Message.Batch.RunId, context.Message.Message.Batch.BatchId, ServiceRoles.Trainer, context.Message.Message.Batch.Step, context.Message);

    public Task Consume(ConsumeContext<Fault<StartTraining>> context) =>
        Fail(context.Message.Message.RunId, context.Message.Message.RequestId, ServiceRoles.Trainer, null, context.Message);

    Task Fail(string runId, Guid id, string role, int? step, Fault fault)
    {
        if (sessions.TryGet(runId, out var session))
        {
            var reason = string.Join("; ", fault.Exceptions.Select(e => e.Message));
            var when = step is int s ? $"on step {s}" : "to start";
            session.Fail(id, new InvalidOperationException($"the {role} failed {when}: {reason}"));
        }
        return Task.CompletedTask;
    }
}
