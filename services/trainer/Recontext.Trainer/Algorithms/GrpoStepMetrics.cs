namespace Recontext.Trainer.Algorithms;

/// <summary>What one GRPO batch did (means over the batch's completion tokens).</summary>
/// <param name="ContextGap">mean per-token logpGen − logpTrain before the update: how much less (or more) likely
/// the completions are under f_train than under f_gen; 0 for standard training</param>
public sealed record GrpoStepMetrics(float Loss, float Kl, float ClippedFraction, float MeanRatio, float ContextGap, float MeanAdvantageAbs);
