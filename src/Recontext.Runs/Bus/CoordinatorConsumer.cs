using MassTransit;
using Recontext.Contracts;

namespace Recontext.Runs.Bus;

/// <summary>
/// The coordinator's ears: records each step's judged batch, training batch and policy update, and each
/// evaluation, for the run that awaits them. Every role publishes events, so the coordinator learns what it stores
/// (rollouts, scores, samples, timings) from the bus, never from another role's memory.
/// </summary>
public sealed class CoordinatorConsumer(RunSessions sessions)
    : IConsumer<RolloutsJudged>, IConsumer<TrainingBatchReady>, IConsumer<PolicyUpdated>, IConsumer<PolicyEvaluated>
{
    public Task Consume(ConsumeContext<RolloutsJudged> context) => Record(context.Message.RunId, context.Message.BatchId, r => r.Judged = context.Message);

    public Task Consume(ConsumeContext<TrainingBatchReady> context) => Record(context.Message.RunId, context.Message.BatchId, r => r.Training = context.Message);

    public Task Consume(ConsumeContext<PolicyUpdated> context) => Record(context.Message.RunId, context.Message.BatchId, r => r.Update = context.Message);

    public Task Consume(ConsumeContext<PolicyEvaluated> context)
    {
        if (sessions.TryGet(context.Message.RunId, out var session)) session.CompleteEvaluation(context.Message);
        return Task.CompletedTask;
    }

    Task Record(string runId, Guid batchId, Action<RunSession.StepResult> record)
    {
        // A run of another process on a shared broker is its owner's business.
        if (sessions.TryGet(runId, out var session)) session.Record(batchId, record);
        return Task.CompletedTask;
    }
}
