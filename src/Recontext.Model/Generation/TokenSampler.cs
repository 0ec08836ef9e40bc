using TorchSharp;
using static TorchSharp.torch;

namespace Recontext.Model.Generation;

/// <summary>Picks the next token from logits: temperature, top-k, top-p, then a draw (greedy at temperature 0).</summary>
public static class TokenSampler
{
    /// <param name="logits">[B, V] next-token logits</param>
    /// <returns>[B] int64 token ids</returns>
    public static Tensor Sample(Tensor logits, SamplingOptions options, Generator generator)
    {
        using var scope = NewDisposeScope();
        // Greedy: temperature 0 means "the most likely token", no randomness.
        if (options.Temperature == 0) return logits.argmax(-1).MoveToOuterDisposeScope();

        // Temperature: flatten (> 1) or sharpen (< 1) the distribution.
        using Scalar temperature = options.Temperature;                           // kept alive through the call (see Scalars)
        var scaled = logits.to(ScalarType.Float32) / temperature;

        // Top-k: everything below the k-th largest logit is impossible.
        if (options.TopK > 0 && options.TopK < scaled.shape[^1])
        {
            var kth = scaled.topk(options.TopK, dim: -1).values.narrow(-1, options.TopK - 1, 1);   // [B, 1]
            scaled = scaled.masked_fill(scaled < kth, Scalars.NegativeInfinity);
        }

        // Top-p: keep the most likely tokens until their mass reaches p (the token that crosses p stays).
        if (options.TopP < 1.0)
        {
            var (sorted, order) = scaled.sort(dim: -1, descending: true);
            var sortedProbs = sorted.softmax(-1);
            var massBefore = sortedProbs.cumsum(-1) - sortedProbs;
            var dropSorted = massBefore > options.TopP;
            var drop = zeros_like(dropSorted).scatter(-1, order, dropSorted);
            scaled = scaled.masked_fill(drop, Scalars.NegativeInfinity);
        }

        // Draw one token per row from what is left.
        var probs = scaled.softmax(-1);
        return multinomial(probs, 1, generator: generator).squeeze(-1).MoveToOuterDisposeScope();
    }
}
