using MassTransit;
using Recontext.Contracts;

namespace Recontext.Runs.Bus;

/// <summary>
/// The coordinator's ears: records each batch's generated and judged chunks, training batch and policy update, and
/// the trainer's answers, for the run that awaits them. Every role publishes events, so the coordinator learns what
/// it stores (rollouts, scores, samples, timings) from the bus, never from another role's memory. When the last chunk
/// of a training batch is judged it publishes the gathered batch to the recontextualizer (<see cref="BatchJudged"/>).
/// </summary>
public sealed class CoordinatorConsumer(RunSessions sessions)
    : IConsumer<RolloutsGenerated>, IConsumer<RolloutsJudged>, IConsumer<TrainingBatchReady>, IConsumer<PolicyUpdated>, IConsumer<TrainingStarted>,
      IConsumer<TrainingStopped>
{
    public Task Consume(ConsumeContext<RolloutsGenerated> context) =>
        Record(context.Message.RunId, context.Message.BatchId, context.Message.Seconds, r => r.AddGenerated(context.Message));

    public async Task Consume(ConsumeContext<RolloutsJudged> context)
    {
        var m = context.Message;
        if (!sessions.TryGet(m.RunId, out var session)) return;
        var gathered = session.Record(m.BatchId, m.Seconds, r => r.AddJudged(m) && r.Trains ? r.Judged : null);
        if (gathered is not null) await context.Publish(new BatchJudged { Batch = gathered });
    }

    public Task Consume(ConsumeContext<TrainingBatchReady> context) =>
        Record(context.Message.RunId, context.Message.BatchId, context.Message.Seconds, r => r.Training = context.Message);

    public Task Consume(ConsumeContext<PolicyUpdated> context) =>
        Record(context.Message.RunId, context.Message.BatchId, context.Message.Seconds, r => r.Update = context.Message);

    public Task Consume(ConsumeContext<TrainingStarted> context) => Answer(context.Message.RunId, context.Message.RequestId, context.Message);

    public Task Consume(ConsumeContext<TrainingStopped> context) => Answer(context.Message.RunId, context.Message.RequestId, context.Message);

    // A run of another process on a shared broker is its owner's business.
    Task Record(string runId, Guid batchId, double roleSeconds, Action<RunSession.StepResult> record)
    {
        if (sessions.TryGet(runId, out var session)) session.Record(batchId, roleSeconds, r => { record(r); return true; });
        return Task.CompletedTask;
    }

    Task Answer(string runId, Guid requestId, object answer)
    {
        if (sessions.TryGet(runId, out var session)) session.Answer(requestId, answer);
        return Task.CompletedTask;
    }
}
