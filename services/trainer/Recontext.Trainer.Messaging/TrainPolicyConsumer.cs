using MassTransit;
using Recontext.Contracts;

namespace Recontext.Trainer.Messaging;

/// <summary>
/// The trainer role: one update per training batch (idempotent on the batch id, see <see cref="TrainerSession"/>),
/// then announces the new policy version. A redelivered batch is answered again with the first update's result, so
/// a coordinator that lost the first answer still gets one.
/// </summary>
public sealed class TrainPolicyConsumer(TrainerRuns trainers) : IConsumer<TrainPolicy>
{
    public async Task Consume(ConsumeContext<TrainPolicy> context)
    {
        var m = context.Message.Batch;
        // A trainer restarted after a crash takes the run up again from the version this batch was sampled with.
        var session = trainers.TryGetSession(m.RunId, out var held) ? held : await trainers.RecoverAsync(m.RunId, m.Step - 1, context.CancellationToken)
            ?? throw new InvalidOperationException($"run {m.RunId}: this trainer holds no policy for it and never started it (was StartTraining sent?)");
        await context.Publish(await session.TrainOnceAsync(m));
    }
}
