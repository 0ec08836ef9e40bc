using Recontext.Trainer.Losses;
using static TorchSharp.torch;

namespace Recontext.Trainer.Tests;

public class LossTests
{
    static Tensor Row(params double[] values) => tensor(values.Select(v => (float)v).ToArray(), [1, values.Length]);

    [Fact]
    public void GroupAdvantagesMatchHandComputedValues()
    {
        var grpo = GroupAdvantages.Compute([1, 0, 0.5, 0.5], groupSize: 2);
        double expected = 0.5 / (Math.Sqrt(0.5) + 1e-4);   // sample std of {1, 0} is sqrt(0.5)
        Assert.Equal(expected, grpo[0], 5);
        Assert.Equal(-expected, grpo[1], 5);
        Assert.Equal(0, grpo[2]);
        Assert.Equal(0, grpo[3]);
        Assert.Equal([0.5f, -0.5f, 0f, 0f], GroupAdvantages.Compute([1, 0, 0.5, 0.5], groupSize: 2, scaleByStd: false));
        Assert.Throws<ArgumentException>(() => GroupAdvantages.Compute([1, 0, 1], groupSize: 2));
    }

    [Fact]
    public void ClippedTokenLossMatchesHandComputedValues()
    {
        var logp = Row(Math.Log(0.5), Math.Log(0.25));
        var old = Row(Math.Log(0.25), Math.Log(0.25));   // ratios 2 and 1
        var mask = Row(1, 1);
        var options = new GrpoOptions { Epsilon = 0.2 };

        var positive = GrpoLoss.Compute(logp, old, null, tensor(new[] { 1f }), mask, options);
        Assert.Equal(-(1.2 + 1.0) / 2, positive.Loss.item<float>(), 5);   // −min(2·1, 1.2·1), −min(1·1, 1·1)
        Assert.Equal(0.5f, positive.ClippedFraction, 5);
        Assert.Equal(1.5f, positive.MeanRatio, 5);

        var negative = GrpoLoss.Compute(logp, old, null, tensor(new[] { -1f }), mask, options);
        Assert.Equal((2.0 + 1.0) / 2, negative.Loss.item<float>(), 5);    // −min(−2, −1.2) = 2: no clipping on this side
        Assert.Equal(0f, negative.ClippedFraction);

        var higher = GrpoLoss.Compute(logp, old, null, tensor(new[] { 1f }), mask, options with { EpsilonHigh = 2.0 });
        Assert.Equal(-(2.0 + 1.0) / 2, higher.Loss.item<float>(), 5);

        var masked = GrpoLoss.Compute(logp, old, null, tensor(new[] { 1f }), Row(1, 0), options);
        Assert.Equal(-1.2f, masked.Loss.item<float>(), 5);
    }

    [Fact]
    public void SequenceLevelRatioIsTheGeometricMeanOfTokenRatios()
    {
        var logp = Row(Math.Log(0.5), Math.Log(0.25));
        var old = Row(Math.Log(0.25), Math.Log(0.25));
        var options = new GrpoOptions { Epsilon = 0.5, RatioLevel = RatioLevel.Sequence };
        var result = GrpoLoss.Compute(logp, old, null, tensor(new[] { 1f }), Row(1, 1), options);
        Assert.Equal(-Math.Sqrt(2), result.Loss.item<float>(), 5);   // ratio √2 < 1.5, unclipped, on both tokens
        Assert.Equal(Math.Sqrt(2), result.MeanRatio, 5);
    }

    [Fact]
    public void K3KlMatchesHandComputedValues()
    {
        var logp = Row(Math.Log(0.5), Math.Log(0.25));
        var reference = Row(Math.Log(0.25), Math.Log(0.25));
        var options = new GrpoOptions { Beta = 0.1 };
        var result = GrpoLoss.Compute(logp, logp, reference, tensor(new[] { 0f }), Row(1, 1), options);
        double k3 = Math.Exp(Math.Log(0.5)) - Math.Log(0.5) - 1;     // exp(ref − logp) − (ref − logp) − 1 on token 1; 0 on token 2
        Assert.Equal(k3 / 2, result.MeanKl, 5);
        Assert.Equal(0.1 * k3 / 2, result.Loss.item<float>(), 5);    // advantage 0: only the KL term remains
    }

    [Fact]
    public void DistillationLossIsZeroForIdenticalDistributionsAndPositiveOtherwise()
    {
        var p = tensor(new float[] { 0.1f, 0.2f, 0.7f, 0.3f, 0.3f, 0.4f }, [1, 2, 3]).log();
        var q = tensor(new float[] { 0.3f, 0.3f, 0.4f, 0.3f, 0.3f, 0.4f }, [1, 2, 3]).log();
        var mask = Row(1, 1);
        Assert.Equal(0f, LogitDistillationLoss.Compute(p, p, mask).item<float>(), 6);
        double kl = 0.1 * Math.Log(0.1 / 0.3) + 0.2 * Math.Log(0.2 / 0.3) + 0.7 * Math.Log(0.7 / 0.4);
        Assert.Equal(kl / 2, LogitDistillationLoss.Compute(p, q, mask).item<float>(), 5);
    }
}
