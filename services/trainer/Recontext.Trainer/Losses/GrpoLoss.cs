using Recontext.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Recontext.Trainer.Losses;

/// <summary>The GRPO objective as a pure function of log-probs (names follow the maths).</summary>
public static class GrpoLoss
{
    /// <summary>Loss and the statistics the run logs.</summary>
    /// <param name="Loss">scalar to minimise</param>
    /// <param name="MeanKl">mean per-token k3 KL to the reference (0 when no reference)</param>
    /// <param name="ClippedFraction">share of tokens whose gradient the clip removed</param>
    /// <param name="MeanRatio">mean policy ratio over tokens</param>
    public sealed record Result(Tensor Loss, float MeanKl, float ClippedFraction, float MeanRatio);

    /// <param name="logp">[B, T] log π_θ(y_t | f_train, y_&lt;t), differentiable</param>
    /// <param name="oldLogp">[B, T] the ratio's denominator (generation-time or recomputed, see <see cref="OldLogprobSource"/>)</param>
    /// <param name="refLogp">[B, T] frozen reference under f_train; null when β = 0</param>
    /// <param name="advantages">[B] one advantage per completion</param>
    /// <param name="mask">[B, T] 1 for completion tokens that count</param>
    /// <param name="fullLogp">[B, T, V] the full log-softmax under f_train, for the entropy bonus; null without one</param>
    /// <param name="importance">[B, T] the off-policy weight of each token's surrogate (<see cref="ImportanceWeights"/>); null: 1</param>
    /// <remarks>Per-sequence mean over its tokens, then mean over sequences (TRL v0.16's aggregation). With the KL in
    /// the reward the loss has no KL term; the KL is still measured.</remarks>
    public static Result Compute(Tensor logp, Tensor oldLogp, Tensor? refLogp, Tensor advantages, Tensor mask, GrpoOptions options,
        Tensor? fullLogp = null, Tensor? importance = null)
    {
        using var scope = NewDisposeScope();
        // Scalars held until the end of the method: one made inline could be finalized mid-call (see Scalars).
        using Scalar lower = 1 - options.Epsilon, upper = 1 + options.UpperEpsilon, beta = options.Beta;
        var tokensPerSequence = mask.sum(1).clamp_min(Scalars.One);                          // [B]
        var logRatio = logp - oldLogp.detach();                                              // [B, T]
        if (options.RatioLevel == RatioLevel.Sequence)
            logRatio = ((logRatio * mask).sum(1, keepdim: true) / tokensPerSequence.unsqueeze(1)).expand_as(logp);
        else if (options.RatioLevel == RatioLevel.SequenceSum)
            logRatio = (logRatio * mask).sum(1, keepdim: true).expand_as(logp);
        var ratio = logRatio.exp();
        var clippedRatio = ratio.clamp(lower, upper);
        var advantage = advantages.unsqueeze(1);                                             // [B, 1]
        var perTokenLoss = -minimum(ratio * advantage, clippedRatio * advantage);           // [B, T]
        if (importance is not null) perTokenLoss = perTokenLoss * importance.detach();

        Tensor perTokenKl = zeros_like(logp);
        if (refLogp is not null && options.Beta > 0)
        {
            // k3 estimator of KL(π_θ ‖ π_ref): exp(ref − logp) − (ref − logp) − 1, unbiased and ≥ 0.
            var delta = refLogp.detach() - logp;
            perTokenKl = delta.exp() - delta - Scalars.One;
            if (options.KlIn == KlPlacement.Loss) perTokenLoss = perTokenLoss.Plus(perTokenKl * beta);
        }
        if (fullLogp is not null && options.EntropyCoefficient > 0)
        {
            // H_t = −Σ_v π(v) log π(v): the bonus rewards keeping the next-token distribution spread.
            using Scalar coefficient = options.EntropyCoefficient;
            var entropy = -(fullLogp.exp() * fullLogp).sum(-1);                              // [B, T]
            perTokenLoss = perTokenLoss - entropy * coefficient;
        }

        var loss = ((perTokenLoss * mask).sum(1) / tokensPerSequence).mean();
        var clipped = ((ratio < lower) & (advantage < Scalars.Zero)) | ((ratio > upper) & (advantage > Scalars.Zero));
        float total = mask.sum().item<float>();
        float Masked(Tensor t) => total == 0 ? 0 : (t.detach() * mask).sum().item<float>() / total;
        return new Result(loss.MoveToOuterDisposeScope(), Masked(perTokenKl), Masked(clipped.to(ScalarType.Float32)), Masked(ratio));
    }
}
