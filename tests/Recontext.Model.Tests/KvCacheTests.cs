using Recontext.Model.Generation;
using Recontext.Prompts.Tokenization;
using static TorchSharp.torch;

namespace Recontext.Model.Tests;

public class KvCacheTests
{
    [Fact]
    public void KvCacheMatchesFullRecomputeAtEveryStep()
    {
        using var model = TinyModels.Random();
        var rng = new Random(1);
        var tokens = Enumerable.Range(0, 24).Select(_ => (long)rng.Next(0, 256)).ToArray();
        const int prefill = 6;

        using var noGrad = no_grad();
        using var cache = new KvCache(model.Config, 1, tokens.Length, model.DType, model.Device);
        var positions = arange(0, prefill).unsqueeze(0);
        var hidden = model.Hidden(tensor(tokens[..prefill]).unsqueeze(0), positions, null, cache);
        var cachedLogits = model.Logits(hidden.narrow(1, prefill - 1, 1)).squeeze(1);
        double worst = 0;
        for (int t = prefill; t <= tokens.Length; t++)
        {
            var full = model.Forward(tensor(tokens[..t]).unsqueeze(0)).narrow(1, t - 1, 1).squeeze(1);
            worst = Math.Max(worst, (full - cachedLogits).abs().max().item<float>());
            if (t == tokens.Length) break;
            var step = model.Hidden(tensor(new[] { tokens[t] }).unsqueeze(0), tensor(new long[] { t }).unsqueeze(0), null, cache);
            cachedLogits = model.Logits(step).squeeze(1);
        }
        Assert.True(worst <= 1e-4, $"largest logit difference between cached and full decoding: {worst}");
        Assert.Equal(tokens.Length, cache.Length);
    }

    [Fact]
    public void GenerationWithAndWithoutCacheAgrees()
    {
        using var model = TinyModels.Random();
        var tokenizer = new ByteTokenizer();
        var generator = new TextGenerator(model, tokenizer);
        var prompts = new[] { tokenizer.Encode("abc"), tokenizer.Encode("hello there") };
        var options = new SamplingOptions { MaxNewTokens = 20, Temperature = 1.0, Seed = 11 };

        var cached = generator.Generate(prompts, options, useKvCache: true);
        var recomputed = generator.Generate(prompts, options, useKvCache: false);

        for (int row = 0; row < prompts.Length; row++)
        {
            Assert.Equal(recomputed[row].TokenIds, cached[row].TokenIds);
            for (int i = 0; i < cached[row].LogProbs.Length; i++)
                Assert.True(Math.Abs(cached[row].LogProbs[i] - recomputed[row].LogProbs[i]) <= 1e-4,
                    $"row {row} token {i}: {cached[row].LogProbs[i]} vs {recomputed[row].LogProbs[i]}");
        }
    }

    [Fact]
    public void RepeatedPromptsShareOnePrefillAndSampleAsIfAlone()
    {
        using var model = TinyModels.Random();
        var tokenizer = new ByteTokenizer();
        var generator = new TextGenerator(model, tokenizer);
        // Samples of one prompt side by side (as in a GRPO group), another prompt of a different length between them.
        var prompts = new[] { tokenizer.Encode("abc"), tokenizer.Encode("abc"), tokenizer.Encode("hello there"), tokenizer.Encode("abc") };
        var options = new SamplingOptions { MaxNewTokens = 16, Temperature = 1.0, Seed = 5 };

        var shared = generator.Generate(prompts, options, useKvCache: true);
        var recomputed = generator.Generate(prompts, options, useKvCache: false);

        for (int row = 0; row < prompts.Length; row++)
        {
            Assert.Equal(recomputed[row].TokenIds, shared[row].TokenIds);
            for (int i = 0; i < shared[row].LogProbs.Length; i++)
                Assert.True(Math.Abs(shared[row].LogProbs[i] - recomputed[row].LogProbs[i]) <= 1e-4,
                    $"row {row} token {i}: {shared[row].LogProbs[i]} vs {recomputed[row].LogProbs[i]}");
        }
        // The rows of one prompt were sampled independently, not copied.
        Assert.NotEqual(shared[0].TokenIds, shared[1].TokenIds);
    }
}
