using Recontext.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Recontext.Trainer.Losses;

/// <summary>The off-policy weights of <see cref="ImportanceCorrection"/>: how much likelier the recomputed old policy
/// (under f_train) finds each sampled token than the sampler did (under f_gen).</summary>
public static class ImportanceWeights
{
    /// <param name="oldLogp">[B, T] log π_old(y_t | f_train) before the update</param>
    /// <param name="generationLogp">[B, T] log π_gen(y_t | f_gen) at sampling time</param>
    /// <param name="mask">[B, T] the tokens that count</param>
    /// <returns>[B, T] detached weights; null for <see cref="ImportanceCorrection.None"/></returns>
    public static Tensor? Compute(Tensor oldLogp, Tensor generationLogp, Tensor mask, GrpoOptions options)
    {
        if (options.ImportanceCorrection == ImportanceCorrection.None) return null;
        using var scope = NewDisposeScope();
        var logWeight = (oldLogp - generationLogp).detach() * mask;                            // [B, T]
        Tensor weights;
        if (options.ImportanceCorrection == ImportanceCorrection.TokenTruncate)
        {
            using Scalar cap = options.ImportanceCap;
            weights = logWeight.exp().clamp_max(cap);
        }
        else
        {
            // The geometric mean per token keeps the band's meaning independent of the completion's length.
            using Scalar low = Math.Log(options.ImportanceLow), high = Math.Log(options.ImportanceHigh);
            var meanLogWeight = logWeight.sum(1, keepdim: true) / mask.sum(1, keepdim: true).clamp_min(Scalars.One);   // [B, 1]
            var kept = ((meanLogWeight >= low) & (meanLogWeight <= high)).to(oldLogp.dtype);
            weights = kept.expand_as(oldLogp);
        }
        return (weights * mask).MoveToOuterDisposeScope();
    }
}
