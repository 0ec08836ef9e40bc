namespace Recontext.Trainer.Algorithms;

/// <summary>What one policy update did, as <c>PolicyUpdated</c> reports it.</summary>
/// <param name="ContextGap">mean per-token logpGen − logpTrain before the update (GRPO; 0 otherwise)</param>
public sealed record UpdateMetrics(float Loss, float Kl, float ClippedFraction, float ContextGap);
