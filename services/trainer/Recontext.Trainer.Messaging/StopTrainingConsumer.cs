using MassTransit;
using Recontext.Contracts;

namespace Recontext.Trainer.Messaging;

/// <summary>Releases a run's policy when the run ends, and says so (<see cref="TrainingStopped"/>).</summary>
public sealed class StopTrainingConsumer(TrainerRuns runs) : IConsumer<StopTraining>
{
    public async Task Consume(ConsumeContext<StopTraining> context)
    {
        var m = context.Message;
        await runs.StopAsync(m.RunId);
        await context.Publish(new TrainingStopped { RunId = m.RunId, RequestId = m.RequestId });
    }
}
