using static TorchSharp.torch;

namespace Recontext.Model.Training;

/// <summary>Supervised fine-tuning loss: mean negative log-likelihood of the masked-in completion tokens.</summary>
public static class NegativeLogLikelihood
{
    /// <param name="tokenLogProbs">[B, Tc] log π(y_t | context)</param>
    /// <param name="mask">[B, Tc] token weights (1 trained, 0 ignored)</param>
    /// <returns>scalar: −Σ mask·logp / Σ mask</returns>
    public static Tensor Compute(Tensor tokenLogProbs, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var loss = -(tokenLogProbs * mask).sum() / mask.sum().clamp_min(Scalars.One);
        return loss.MoveToOuterDisposeScope();
    }
}
