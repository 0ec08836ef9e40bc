using MassTransit;
using Recontext.Contracts;

namespace Recontext.Runs.Bus;

/// <summary>
/// The coordinator's ears: records each batch's generated and judged chunks, training batch and policy update, and
/// the trainer's answers, for the run that awaits them. Every role publishes events, so the coordinator learns what
/// it stores (rollouts, scores, samples, timings) from the bus, never from another role's memory. It passes the work
/// on as commands sent to the next role's queue (<see cref="RoleAddresses"/>): each new chunk to the judge
/// (<see cref="JudgeRollouts"/>), a training batch whose last chunk is judged to the recontextualizer
/// (<see cref="RecontextualizeRollouts"/>), and the recontextualized batch to the trainer (<see cref="TrainPolicy"/>).
/// </summary>
public sealed class CoordinatorConsumer(RunSessions sessions, RoleAddresses roles)
    : IConsumer<RolloutsGenerated>, IConsumer<RolloutsJudged>, IConsumer<TrainingBatchReady>, IConsumer<PolicyUpdated>, IConsumer<TrainingStarted>,
      IConsumer<TrainingStopped>
{
    // Each forward is made on every delivery of an event whose next step is still awaited, not only on the first:
    // a send lost to a broker outage (the event is then redelivered) is made good, and every role answers a repeated
    // command once (the judge's and the recontextualizer's answers count once, the trainer is idempotent on the batch).
    public async Task Consume(ConsumeContext<RolloutsGenerated> context)
    {
        var m = context.Message;
        if (!sessions.TryGet(m.RunId, out var session)) return;
        if (session.Record(m.BatchId, m.Seconds, r => { r.AddGenerated(m); return r.AwaitsJudgement(m.Request.Chunk); }))
            await Send(context, ServiceRoles.Judge, new JudgeRollouts { Rollouts = m });
    }

    public async Task Consume(ConsumeContext<RolloutsJudged> context)
    {
        var m = context.Message;
        if (!sessions.TryGet(m.RunId, out var session)) return;
        var gathered = session.Record(m.BatchId, m.Seconds, r => { r.AddJudged(m); return r.AwaitsRecontextualization ? r.Judged : null; });
        if (gathered is not null) await Send(context, ServiceRoles.Recontextualizer, new RecontextualizeRollouts { Batch = gathered });
    }

    public async Task Consume(ConsumeContext<TrainingBatchReady> context)
    {
        var m = context.Message;
        if (!sessions.TryGet(m.RunId, out var session)) return;
        if (session.Record(m.BatchId, m.Seconds, r => { r.AddTraining(m); return r.AwaitsUpdate; }))
            await Send(context, ServiceRoles.Trainer, new TrainPolicy { Batch = m });
    }

    public Task Consume(ConsumeContext<PolicyUpdated> context) =>
        Record(context.Message.RunId, context.Message.BatchId, context.Message.Seconds, r => r.Update = context.Message);

    public Task Consume(ConsumeContext<TrainingStarted> context) => Answer(context.Message.RunId, context.Message.RequestId, context.Message);

    public Task Consume(ConsumeContext<TrainingStopped> context) => Answer(context.Message.RunId, context.Message.RequestId, context.Message);

    async Task Send<T>(ConsumeContext context, string role, T command) where T : class =>
        await (await context.GetSendEndpoint(roles.Of(role))).Send(command, context.CancellationToken);

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
