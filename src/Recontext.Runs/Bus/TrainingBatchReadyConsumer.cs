using System.Diagnostics;
using MassTransit;
using Recontext.Contracts;
using Recontext.Model;

namespace Recontext.Runs.Bus;

/// <summary>Trainer role: one update per batch (idempotent on the batch id), then announces the new policy version.</summary>
public sealed class TrainingBatchReadyConsumer(RunSessions sessions) : IConsumer<TrainingBatchReady>
{
    public async Task Consume(ConsumeContext<TrainingBatchReady> context)
    {
        var m = context.Message;
        if (!sessions.TryGet(m.RunId, out var session)) return;   // a run of another process on a shared broker
        await session.Guard(m.BatchId, async () =>
        {
            var watch = Stopwatch.StartNew();
            if (await TorchThread.Default.Run(() => session.TrainOnce(m.BatchId, m.Samples)) is not { } result) return;   // a redelivery: already trained
            await context.Publish(new PolicyUpdated
            {
                RunId = m.RunId, Step = m.Step, BatchId = m.BatchId, Version = m.Step,
                Loss = result.Loss, Kl = result.Kl, ClippedFraction = result.Clipped, ContextGap = result.Gap,
                Seconds = watch.Elapsed.TotalSeconds,
            });
        });
    }
}
