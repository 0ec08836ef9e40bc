using MassTransit;
using Recontext.Contracts;

namespace Recontext.Trainer.Messaging;

/// <summary>
/// The trainer role: one update per training batch (idempotent on the batch id, see <see cref="TrainerSession"/>),
/// then announces the new policy version. A redelivered batch is answered again with the first update's result, so
/// a coordinator that lost the first answer still gets one.
/// </summary>
public sealed class TrainPolicyConsumer(TrainerRuns trainers, RoleScope scope) : IConsumer<TrainingBatchReady>
{
    public async Task Consume(ConsumeContext<TrainingBatchReady> context)
    {
        var m = context.Message;
        if (!scope.Accepts(ServiceRoles.Trainer, m.RunId, m.ServedRoles)) return;
        if (!trainers.TryGetSession(m.RunId, out var session))
            throw new InvalidOperationException($"run {m.RunId}: this trainer holds no policy for it (was StartTraining sent, or did the trainer restart?)");
        await context.Publish(await session.TrainOnceAsync(m));
    }
}
