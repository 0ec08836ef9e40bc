namespace Recontext.Trainer.Algorithms;

/// <summary>What one GRPO batch did (means over the batch's completion tokens).</summary>
/// <param name="ContextGap">mean per-token logpGen − logpTrain before the update: how much less (or more) likely
/// the completions are under f_train than under f_gen; 0 for standard training</param>
/// <param name="TrainingLogpSums">each sample's completion log-prob under f_train before the update (sum over its
/// tokens), in batch order: the rollout's own context gap beside its sampling log-prob</param>
public sealed record GrpoStepMetrics(float Loss, float Kl, float ClippedFraction, float MeanRatio, float ContextGap, float MeanAdvantageAbs,
    float[] TrainingLogpSums);
