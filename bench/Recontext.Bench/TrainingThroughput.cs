using Recontext.Model;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Prompts.Tokenization;
using static TorchSharp.torch;

namespace Recontext.Bench;

/// <summary>Training tokens per second of a byte-vocabulary model, and the FLOP rate that implies.</summary>
public static class TrainingThroughput
{
    public sealed record Result(int DModel, long Parameters, int BatchSize, int SequenceLength, double TokensPerSecond, double GflopsPerSecond);

    public static TransformerConfig ConfigFor(int dModel) => new()
    {
        ModelType = "qwen3",
        VocabSize = new ByteTokenizer().VocabSize,
        HiddenSize = dModel,
        IntermediateSize = 3 * dModel,
        NumHiddenLayers = 4,
        NumAttentionHeads = Math.Max(2, dModel / 64),
        NumKeyValueHeads = Math.Max(1, dModel / 128),
        MaxPositionEmbeddings = 1024,
    };

    /// <summary>
    /// Training FLOPs per token: 6 per weight that multiplies activations (forward 2, backward 4; the embedding
    /// lookup is free but the tied output head is a matmul), plus causal attention scores and mixing,
    /// 6·L·T·d (half of the non-causal 12·L·T·d).
    /// </summary>
    public static double FlopsPerToken(TransformerConfig c, int sequenceLength)
    {
        long q = c.NumAttentionHeads * c.HeadDim, kv = c.NumKeyValueHeads * c.HeadDim;
        long perLayer = c.HiddenSize * (q + 2 * kv) + q * c.HiddenSize + 3L * c.HiddenSize * c.IntermediateSize;
        long matmulWeights = c.NumHiddenLayers * perLayer + (long)c.VocabSize * c.HiddenSize;
        return 6.0 * matmulWeights + 6.0 * c.NumHiddenLayers * sequenceLength * q;
    }

    public static Result Measure(int dModel, int batchSize, int sequenceLength, int steps)
    {
        var config = ConfigFor(dModel);
        using var model = CausalLm.Create(config, seed: 1);
        var rng = new Random(1);
        var rows = Enumerable.Range(0, batchSize).Select(_ => Enumerable.Range(0, sequenceLength).Select(_ => rng.Next(0, 256)).ToArray()).ToArray();
        using var batch = SequenceBatch.Build(rows.Select(r => r[..1]).ToArray(), rows.Select(r => r[1..]).ToArray(), 0, config.VocabSize, model.Device);
        using var trainer = new SupervisedTrainer(model, new OptimizerOptions());
        double seconds = Stopwatches.BestOf(1, steps, () => trainer.Step(batch));
        double tokensPerSecond = batchSize * sequenceLength / seconds;
        long parameters = model.parameters().Sum(p => p.NumberOfElements);
        return new Result(dModel, parameters, batchSize, sequenceLength, tokensPerSecond, tokensPerSecond * FlopsPerToken(config, sequenceLength) / 1e9);
    }
}
