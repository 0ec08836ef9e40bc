namespace Recontext.Contracts;

/// <summary>One sampled completion: its prompt group, its index in the group, tokens, text and sampling log-probs.</summary>
public sealed record SampledCompletion
{
    public required int Group { get; init; }
    public required int SampleIndex { get; init; }
    public required int[] TokenIds { get; init; }
    public required string Text { get; init; }
    public required float[] LogProbs { get; init; }

    /// <summary>The run's detector's score of this completion (<see cref="GenerateRollouts.Detector"/>); null without one.</summary>
    public double? DetectorScore { get; init; }

    /// <summary>The detector flagged this completion; null without a detector.</summary>
    public bool? Detected { get; init; }
}
