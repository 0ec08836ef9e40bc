using static TorchSharp.torch;

namespace Recontext.Trainer.Losses;

/// <summary>The KL as a reward penalty (<see cref="KlPlacement.Reward"/>): each completion's reward less β times its
/// k1 KL to the reference, Σ_t (log π_old − log π_ref), taken before the group advantages.</summary>
public static class KlRewardPenalty
{
    /// <param name="rewards">one reward per completion, in batch order</param>
    /// <param name="oldLogp">[B, T] the sampled tokens' log-probs under the policy that sampled them</param>
    /// <param name="refLogp">[B, T] the reference's, under <see cref="GrpoOptions.KlReference"/>'s context</param>
    /// <param name="mask">[B, T] the tokens that count</param>
    public static double[] Apply(IReadOnlyList<double> rewards, Tensor oldLogp, Tensor refLogp, Tensor mask, double beta)
    {
        using var scope = NewDisposeScope();
        var kl = ((oldLogp - refLogp).detach() * mask).sum(1).to(ScalarType.Float64).cpu().data<double>().ToArray();
        if (kl.Length != rewards.Count) throw new ArgumentException($"{rewards.Count} rewards for {kl.Length} completions");
        return rewards.Select((r, i) => r - beta * kl[i]).ToArray();
    }
}
