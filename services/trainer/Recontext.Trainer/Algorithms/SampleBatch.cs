using Recontext.Contracts;
using Recontext.Model.Scoring;
using static TorchSharp.torch;

namespace Recontext.Trainer.Algorithms;

/// <summary>Packs training samples for the model and lines their per-token arrays up with the completion columns.</summary>
static class SampleBatch
{
    /// <summary>Samples under f_train (or f_gen with <paramref name="generationContext"/>), loss masks applied.</summary>
    public static SequenceBatch Build(IReadOnlyList<TrainingSample> samples, int paddingId, int vocabSize, Device device, bool generationContext = false) =>
        SequenceBatch.Build(
            samples.Select(s => generationContext ? s.GenerationPromptIds : s.TrainingPromptIds).ToArray(),
            samples.Select(s => s.CompletionIds).ToArray(),
            paddingId, vocabSize, device,
            samples.Select(s => s.LossMask).ToArray());

    /// <summary>Which samples share a micro-batch (<see cref="MicroBatchPlan"/>: the order that pads least under f_train).</summary>
    public static MicroBatchPlan Plan(IReadOnlyList<TrainingSample> samples, int? microBatchSize) =>
        MicroBatchPlan.For(samples.Select(s => s.TrainingPromptIds).ToArray(), samples.Select(s => s.CompletionIds).ToArray(), microBatchSize);

    /// <returns>[B, Tc] float32, each row's values then zeros</returns>
    public static Tensor PerToken(IReadOnlyList<TrainingSample> samples, Func<TrainingSample, float[]> values, int columns, Device device)
    {
        var flat = new float[samples.Count * columns];
        for (int row = 0; row < samples.Count; row++)
        {
            var v = values(samples[row]);
            Array.Copy(v, 0, flat, row * columns, Math.Min(v.Length, columns));
        }
        return tensor(flat, [samples.Count, columns], device: device);
    }
}
