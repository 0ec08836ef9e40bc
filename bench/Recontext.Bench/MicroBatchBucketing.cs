using Recontext.Model;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Prompts.Tokenization;

namespace Recontext.Bench;

/// <summary>
/// A GRPO-shaped batch whose completions are mostly short with a long tail (a few rollouts run on towards the token
/// limit, as a real policy's do), trained in micro-batches: cut in order against cut by <see cref="MicroBatchPlan"/>.
/// Same model, same rows, same gradients; only the padding differs. Measured side by side.
/// </summary>
public static class MicroBatchBucketing
{
    public sealed record Result(MicroBatchOrder Order, long InOrderTokens, long PlannedTokens, long RealTokens, double SecondsInOrder, double SecondsPlanned)
    {
        public double Speedup => SecondsInOrder / SecondsPlanned;
    }

    public const int Prompts = 8, Samples = 8, MicroBatch = 8, PromptLength = 100;

    public static Result Measure(int repeats)
    {
        var config = new TransformerConfig
        {
            ModelType = "qwen3", VocabSize = new ByteTokenizer().VocabSize, HiddenSize = 128, IntermediateSize = 384,
            NumHiddenLayers = 3, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 1024, EosTokenId = ByteTokenizer.ImEnd,
        };
        using var model = CausalLm.Create(config, seed: 1);
        var rng = new Random(11);
        int[] Text(int length) => Enumerable.Range(0, length).Select(_ => rng.Next(32, 127)).ToArray();
        var distinct = Enumerable.Range(0, Prompts).Select(_ => Text(PromptLength)).ToArray();
        var prompts = distinct.SelectMany(p => Enumerable.Repeat(p, Samples)).ToArray();
        // One completion in eight runs long (300–500 tokens); the rest 30–90.
        var completions = prompts.Select(_ => Text(rng.NextDouble() < 0.125 ? rng.Next(300, 501) : rng.Next(30, 91))).ToArray();

        var plan = MicroBatchPlan.For(prompts, completions, MicroBatch);
        var inOrder = Enumerable.Range(0, prompts.Length).Chunk(MicroBatch).ToList();
        using var trainer = new SupervisedTrainer(model, new OptimizerOptions());
        double Step(IEnumerable<int[]> parts)
        {
            var batches = parts.Select(p => SequenceBatch.Build(p.Select(r => prompts[r]).ToArray(), p.Select(r => completions[r]).ToArray(),
                ByteTokenizer.Pad, config.VocabSize, model.Device)).ToList();
            try { return Stopwatches.BestOf(1, repeats, () => trainer.Step(batches)); }
            finally { foreach (var b in batches) b.Dispose(); }
        }
        long real = prompts.Sum(p => (long)p.Length) + completions.Sum(c => (long)c.Length);
        return new Result(plan.Order, plan.InOrderPaddedTokens, plan.PaddedTokens, real, Step(inOrder), Step(plan.Parts));
    }
}
