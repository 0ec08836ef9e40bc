using Recontext.Model;
using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Prompts.Tokenization;

namespace Recontext.Bench;

/// <summary>
/// GRPO-shaped batches (a few prompts, several samples each): a training step and a sampling pass with every row
/// running its own prompt, against the prompt run once per group (<see cref="SharedPromptLayout"/>, shared prefill).
/// Measured side by side on the same model and rows.
/// </summary>
public static class PromptSharingThroughput
{
    public sealed record Result(string Work, double SecondsPerRow, double SecondsShared)
    {
        public double Speedup => SecondsPerRow / SecondsShared;
    }

    public const int PromptLength = 100;

    /// <param name="prompts">distinct prompts</param>
    /// <param name="samples">samples per prompt</param>
    public static IReadOnlyList<Result> Measure(int prompts, int samples, int repeats)
    {
        // The organism's base size; prompts of 100 tokens and completions of 40–100, like the demo's.
        var config = new TransformerConfig
        {
            ModelType = "qwen3", VocabSize = new ByteTokenizer().VocabSize, HiddenSize = 128, IntermediateSize = 384,
            NumHiddenLayers = 3, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 512, EosTokenId = ByteTokenizer.ImEnd,
        };
        using var model = CausalLm.Create(config, seed: 1);
        var rng = new Random(3);
        var distinct = Enumerable.Range(0, prompts).Select(_ => Enumerable.Range(0, PromptLength).Select(_ => rng.Next(32, 127)).ToArray()).ToArray();
        var rowPrompts = distinct.SelectMany(p => Enumerable.Repeat(p, samples)).ToArray();
        var completions = rowPrompts.Select(_ => Enumerable.Range(0, rng.Next(40, 101)).Select(_ => rng.Next(32, 127)).ToArray()).ToArray();

        using var trainer = new SupervisedTrainer(model, new OptimizerOptions());
        double Train(PromptSharing sharing)
        {
            using var batch = SequenceBatch.Build(rowPrompts, completions, ByteTokenizer.Pad, config.VocabSize, model.Device, sharing: sharing);
            return Stopwatches.BestOf(1, repeats, () => trainer.Step(batch));
        }
        var training = new Result("training step (forward + backward + AdamW)", Train(PromptSharing.Never), Train(PromptSharing.Always));

        var generator = new TextGenerator(model, new ByteTokenizer());
        var sampling = new SamplingOptions { MaxNewTokens = 64, Temperature = 1.0, Seed = 1 };
        var generation = new Result("sampling 64 new tokens (prefill + decode)",
            Stopwatches.BestOf(1, repeats, () => generator.Generate(rowPrompts, sampling, sharePrefill: false)),
            Stopwatches.BestOf(1, repeats, () => generator.Generate(rowPrompts, sampling, sharePrefill: true)));
        return [training, generation];
    }
}
