using Recontext.Contracts;
using static TorchSharp.torch;

namespace Recontext.Trainer.Algorithms;

/// <summary>Logit context distillation (<see cref="LogitDistillationTrainer"/>).</summary>
sealed class DistillationAlgorithm(LogitDistillationTrainer trainer, int? microBatchSize = null) : ITrainingAlgorithm
{
    public optim.Optimizer Optimizer => trainer.Optimizer;

    public UpdateMetrics Update(IReadOnlyList<TrainingSample> samples, IReadOnlyList<CompletionScore> scores) =>
        new(trainer.Update(samples, microBatchSize), 0, 0, 0);

    public void Dispose() => trainer.Dispose();
}
