using Recontext.Contracts;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using static TorchSharp.torch;

namespace Recontext.Trainer.Algorithms;

/// <summary>SFT on every sample, or expert iteration: SFT on the best sample of each prompt group by training reward
/// (optionally among non-hacks only: the "perfect labels" filter).</summary>
sealed class SupervisedAlgorithm(SupervisedTrainer trainer, int paddingId, bool bestOfGroup, bool dropHacks) : ITrainingAlgorithm
{
    public optim.Optimizer Optimizer => trainer.Optimizer;

    public UpdateMetrics Update(IReadOnlyList<TrainingSample> samples, IReadOnlyList<CompletionScore> scores)
    {
        var chosen = bestOfGroup
            ? ExpertIteration.SelectBest(samples.Select((s, i) => (Sample: s, Score: scores[i])), x => x.Sample.Group, x => x.Sample.Reward,
                dropHacks ? x => !x.Score.Hack : null).Select(x => x.Sample).ToList()
            : samples.ToList();
        if (chosen.Count == 0) return new UpdateMetrics(0, 0, 0, 0);
        using var batch = SequenceBatch.Build(chosen.Select(s => s.TrainingPromptIds).ToArray(), chosen.Select(s => s.CompletionIds).ToArray(),
            paddingId, trainer.ModelVocab, trainer.Device, chosen.Select(s => s.LossMask).ToArray());
        return new UpdateMetrics(trainer.Step(batch), 0, 0, 0);
    }

    public void Dispose() => trainer.Dispose();
}
