using Recontext.Contracts;
using static TorchSharp.torch;

namespace Recontext.Trainer.Algorithms;

/// <summary>GRPO (<see cref="GrpoTrainer"/>) on groups of <paramref name="groupSize"/> samples per prompt.</summary>
sealed class GrpoAlgorithm(GrpoTrainer trainer, int groupSize) : ITrainingAlgorithm
{
    public optim.Optimizer Optimizer => trainer.Optimizer;

    public UpdateMetrics Update(IReadOnlyList<TrainingSample> samples, IReadOnlyList<CompletionScore> scores)
    {
        var m = trainer.Update(samples, groupSize);
        return new UpdateMetrics(m.Loss, m.Kl, m.ClippedFraction, m.ContextGap) { TrainingLogpSums = m.TrainingLogpSums };
    }

    public void Dispose() => trainer.Dispose();
}
