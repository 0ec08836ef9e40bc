using MassTransit;
using Recontext.Contracts;

namespace Recontext.Trainer.Messaging;

/// <summary>
/// The trainer role: one update per training batch (idempotent on the batch id, see <see cref="TrainerSession"/>),
/// then announces the new policy version. A redelivered batch is answered again with the first update's result, so
/// a coordinator that lost the first answer still gets one.
/// </summary>
public sealed class TrainPolicyConsumer(TrainerSessions trainers, RoleScope scope) : IConsumer<TrainingBatchReady>
{
    public async Task Consume(ConsumeContext<TrainingBatchReady> context)
    {
        var m = context.Message;
        if (!scope.Accepts(ServiceRoles.Trainer, m.RunId, m.ServedRoles) || !trainers.TryGet(m.RunId, out var session)) return;
        await context.Publish(await session.TrainOnceAsync(m));
    }
}
