namespace Recontext.Generator;

/// <summary>One sampled completion of prompt <see cref="PromptIndex"/> (sample <see cref="SampleIndex"/> of its group).</summary>
public sealed record GeneratedCompletion(int PromptIndex, int SampleIndex, int[] TokenIds, string Text, float[] LogProbs);
