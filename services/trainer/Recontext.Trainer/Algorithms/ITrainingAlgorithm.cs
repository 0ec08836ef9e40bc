using Recontext.Contracts;
using static TorchSharp.torch;

namespace Recontext.Trainer.Algorithms;

/// <summary>One update of the policy from a training batch: what every algorithm (GRPO, expert iteration, SFT,
/// logit distillation) offers the trainer, which knows nothing else of them.</summary>
public interface ITrainingAlgorithm : IDisposable
{
    /// <param name="samples">the batch under f_train, prompt group by prompt group</param>
    /// <param name="scores">the judge's score of each sample (same order)</param>
    UpdateMetrics Update(IReadOnlyList<TrainingSample> samples, IReadOnlyList<CompletionScore> scores);

    /// <summary>The optimizer, for saving and restoring its state with each policy version.</summary>
    optim.Optimizer Optimizer { get; }
}
