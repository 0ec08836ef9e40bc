namespace Recontext.Trainer.Algorithms;

/// <summary>What one policy update did, as <c>PolicyUpdated</c> reports it.</summary>
/// <param name="ContextGap">mean per-token logpGen − logpTrain before the update (GRPO; 0 otherwise)</param>
public sealed record UpdateMetrics(float Loss, float Kl, float ClippedFraction, float ContextGap)
{
    /// <summary>Each sample's completion log-prob under f_train before the update (sum over its tokens), in batch
    /// order; null when the algorithm does not score the batch under the old policy (GRPO does).</summary>
    public float[]? TrainingLogpSums { get; init; }
}
