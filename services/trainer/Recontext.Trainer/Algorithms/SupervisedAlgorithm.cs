using Recontext.Contracts;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using static TorchSharp.torch;

namespace Recontext.Trainer.Algorithms;

/// <summary>SFT on every sample, or expert iteration: SFT on the best sample of each prompt group by training reward
/// (optionally among non-hacks only: the "perfect labels" filter).</summary>
/// <param name="microBatchSize">sequences per forward and backward pass (gradients accumulated); null: all at once</param>
sealed class SupervisedAlgorithm(SupervisedTrainer trainer, int paddingId, bool bestOfGroup, bool dropHacks, int? microBatchSize = null) : ITrainingAlgorithm
{
    public optim.Optimizer Optimizer => trainer.Optimizer;

    public UpdateMetrics Update(IReadOnlyList<TrainingSample> samples, IReadOnlyList<CompletionScore> scores)
    {
        var chosen = bestOfGroup
            ? ExpertIteration.SelectBest(samples.Select((s, i) => (Sample: s, Score: scores[i])), x => x.Sample.Group, x => x.Sample.Reward,
                dropHacks ? x => !x.Score.Misbehaved : null).Select(x => x.Sample).ToList()
            : samples.ToList();
        if (chosen.Count == 0) return new UpdateMetrics(0, 0, 0, 0);
        var parts = SampleBatch.Plan(chosen, microBatchSize).Parts
            .Select(rows => rows.Select(r => chosen[r]).ToArray())
            .Select(part => SequenceBatch.Build(part.Select(s => s.TrainingPromptIds).ToArray(), part.Select(s => s.CompletionIds).ToArray(),
                paddingId, trainer.ModelVocab, trainer.Device, part.Select(s => s.LossMask).ToArray()))
            .ToList();
        try
        {
            return new UpdateMetrics(trainer.Step(parts), 0, 0, 0);
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
        }
    }

    public void Dispose() => trainer.Dispose();
}
