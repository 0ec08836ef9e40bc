using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Prompts.Tokenization;

namespace Recontext.Bench;

/// <summary>Sampling throughput (new tokens per second) with and without the KV cache.</summary>
public static class GenerationThroughput
{
    public sealed record Result(int BatchSize, int NewTokens, double CachedTokensPerSecond, double RecomputeTokensPerSecond)
    {
        public double Speedup => CachedTokensPerSecond / RecomputeTokensPerSecond;
    }

    public const int PromptLength = 32;

    public static Result Measure(CausalLm model, int batchSize, int newTokens)
    {
        var tokenizer = new ByteTokenizer();
        var generator = new TextGenerator(model, tokenizer);
        var rng = new Random(batchSize);
        var prompts = Enumerable.Range(0, batchSize).Select(_ => Enumerable.Range(0, PromptLength).Select(_ => rng.Next(32, 127)).ToArray()).ToArray();
        // No stop tokens: every row generates exactly newTokens, so both paths do the same amount of work.
        var options = new SamplingOptions { MaxNewTokens = newTokens, Temperature = 1.0, Seed = 1 };
        double cached = Stopwatches.BestOf(1, 2, () => generator.Generate(prompts, options, useKvCache: true));
        double recompute = Stopwatches.BestOf(0, 1, () => generator.Generate(prompts, options, useKvCache: false));
        double tokens = (double)batchSize * newTokens;
        return new Result(batchSize, newTokens, tokens / cached, tokens / recompute);
    }
}
