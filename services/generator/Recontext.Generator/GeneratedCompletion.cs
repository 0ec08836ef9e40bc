namespace Recontext.Generator;

/// <summary>One sampled completion of prompt <see cref="PromptIndex"/> (sample <see cref="SampleIndex"/> of its group).</summary>
public sealed record GeneratedCompletion(int PromptIndex, int SampleIndex, int[] TokenIds, string Text, float[] LogProbs)
{
    /// <summary>The run's detector's score (<see cref="DetectorMarks"/>); null without a detector.</summary>
    public double? DetectorScore { get; init; }

    public bool? Detected { get; init; }
}
