namespace Recontext.Contracts;

/// <summary>One sampled completion: its prompt group, its index in the group, tokens, text and sampling log-probs.</summary>
public sealed record SampledCompletion
{
    public required int Group { get; init; }
    public required int SampleIndex { get; init; }
    public required int[] TokenIds { get; init; }
    public required string Text { get; init; }
    public required float[] LogProbs { get; init; }
}
