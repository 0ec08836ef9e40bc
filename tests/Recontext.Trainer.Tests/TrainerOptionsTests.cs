using Recontext.Trainer.Losses;
using static TorchSharp.torch;

namespace Recontext.Trainer.Tests;

/// <summary>The paper's trainer choices and the off-policy corrections as options (issue 24), each against values
/// computed by hand.</summary>
public class TrainerOptionsTests
{
    static Tensor Rows(params double[][] rows) => tensor(rows.SelectMany(r => r).Select(v => (float)v).ToArray(), [rows.Length, rows[0].Length]);

    [Fact]
    public void ASequenceSumRatioIsTheRatioOfTheCompletionsProbabilities()
    {
        var logp = Rows([0.1, 0.2]);
        var old = Rows([0, 0]);
        var options = new GrpoOptions { Epsilon = 0.5, RatioLevel = RatioLevel.SequenceSum };
        var unclipped = GrpoLoss.Compute(logp, old, null, tensor(new[] { 1f }), Rows([1, 1]), options);
        Assert.Equal(-Math.Exp(0.3), unclipped.Loss.item<float>(), 5);   // e^(0.1+0.2) = 1.35 < 1.5 on both tokens
        Assert.Equal(Math.Exp(0.3), unclipped.MeanRatio, 5);
        var clipped = GrpoLoss.Compute(logp, old, null, tensor(new[] { 1f }), Rows([1, 1]), options with { Epsilon = 0.2 });
        Assert.Equal(-1.2, clipped.Loss.item<float>(), 5);                  // −min(1.35, 1.2)
        Assert.Equal(1f, clipped.ClippedFraction);
        // A masked token adds nothing to the sum.
        var masked = GrpoLoss.Compute(Rows([0.1, 5.0]), old, null, tensor(new[] { 1f }), Rows([1, 0]), options);
        Assert.Equal(-Math.Exp(0.1), masked.Loss.item<float>(), 5);
    }

    [Fact]
    public void TheEntropyBonusSubtractsTheMeanTokenEntropy()
    {
        // Two tokens over a vocabulary of two: p = (0.5, 0.5) and (0.9, 0.1).
        var full = tensor(new[] { (float)Math.Log(0.5), (float)Math.Log(0.5), (float)Math.Log(0.9), (float)Math.Log(0.1) }, [1, 2, 2]);
        var logp = Rows([Math.Log(0.5), Math.Log(0.9)]);
        double entropy = (Math.Log(2) + -(0.9 * Math.Log(0.9) + 0.1 * Math.Log(0.1))) / 2;
        var options = new GrpoOptions { EntropyCoefficient = 0.1 };
        var result = GrpoLoss.Compute(logp, logp, null, tensor(new[] { 0f }), Rows([1, 1]), options, fullLogp: full);
        Assert.Equal(-0.1 * entropy, result.Loss.item<float>(), 5);         // advantage 0: only the bonus remains
        Assert.Equal(0f, GrpoLoss.Compute(logp, logp, null, tensor(new[] { 0f }), Rows([1, 1]), options with { EntropyCoefficient = 0 }, fullLogp: full).Loss.item<float>(), 6);
    }

    [Fact]
    public void WithTheKlInTheRewardTheLossHasNoKlTermAndTheRewardPaysIt()
    {
        var logp = Rows([Math.Log(0.5), Math.Log(0.25)]);
        var reference = Rows([Math.Log(0.25), Math.Log(0.25)]);
        var inLoss = GrpoLoss.Compute(logp, logp, reference, tensor(new[] { 0f }), Rows([1, 1]), new GrpoOptions { Beta = 0.5 });
        var inReward = GrpoLoss.Compute(logp, logp, reference, tensor(new[] { 0f }), Rows([1, 1]), new GrpoOptions { Beta = 0.5, KlIn = KlPlacement.Reward });
        Assert.True(inLoss.Loss.item<float>() > 0.01);
        Assert.Equal(0f, inReward.Loss.item<float>(), 6);
        Assert.Equal(inLoss.MeanKl, inReward.MeanKl);                        // still measured

        // k1 per token, summed over the completion's counted tokens, times β, off each reward.
        var old = Rows([0.2, 0.1], [-0.1, 5.0]);
        var refLogp = Rows([0, 0], [0, 0]);
        var penalized = KlRewardPenalty.Apply([1.0, 0.0], old, refLogp, Rows([1, 1], [1, 0]), beta: 0.5);
        Assert.Equal(1 - 0.5 * 0.3, penalized[0], 5);
        Assert.Equal(0 + 0.5 * 0.1, penalized[1], 5);
    }

    [Fact]
    public void ImportanceWeightsTruncateTokensOrMaskSequences()
    {
        var generation = Rows([0, 0], [0, 0]);
        var old = Rows([Math.Log(3), Math.Log(0.5)], [Math.Log(4), Math.Log(4)]);
        var mask = Rows([1, 1], [1, 1]);
        var recompute = new GrpoOptions { OldLogprobs = OldLogprobSource.Training };
        Assert.Null(ImportanceWeights.Compute(old, generation, mask, recompute));

        var truncated = ImportanceWeights.Compute(old, generation, mask, recompute with { ImportanceCorrection = ImportanceCorrection.TokenTruncate })!;
        Assert.Equal([2f, 0.5f, 2f, 2f], truncated.data<float>().ToArray().Select(v => (float)Math.Round(v, 5)));   // min(w, 2)

        // Geometric means √(3 · 0.5) = 1.22 (kept, in [0.5, 2]) and 4 (masked).
        var banded = ImportanceWeights.Compute(old, generation, mask, recompute with { ImportanceCorrection = ImportanceCorrection.SequenceMask })!;
        Assert.Equal([1f, 1f, 0f, 0f], banded.data<float>().ToArray());

        // The weight multiplies each token's surrogate: ratio 1, advantage 1 → −(2 + 0.5) / 2 on the first row.
        var loss = GrpoLoss.Compute(Rows([0, 0]), Rows([0, 0]), null, tensor(new[] { 1f }), Rows([1, 1]), recompute, importance: Rows([2, 0.5]));
        Assert.Equal(-1.25, loss.Loss.item<float>(), 5);
    }

    [Theory]
    [InlineData("importanceCorrection needs oldLogprobs: training")]
    public void ACorrectionWithoutRecomputedOldLogProbsIsRefused(string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => new GrpoOptions { ImportanceCorrection = ImportanceCorrection.TokenTruncate }.Validate()).Message);

    [Fact]
    public void BoundsAreChecked()
    {
        Assert.Contains("entropyCoefficient must be >= 0", Assert.Throws<ArgumentException>(() => new GrpoOptions { EntropyCoefficient = -1 }.Validate()).Message);
        Assert.Contains("importanceCap must be >= 1", Assert.Throws<ArgumentException>(() => new GrpoOptions { ImportanceCap = 0.5 }.Validate()).Message);
        Assert.Contains("must bracket 1", Assert.Throws<ArgumentException>(() => new GrpoOptions { ImportanceLow = 1.5 }.Validate()).Message);
    }
}
