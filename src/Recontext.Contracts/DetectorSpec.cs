namespace Recontext.Contracts;

/// <summary>
/// A run's detector as it travels with each batch: a linear probe on one layer's pooled residual stream of the policy
/// that sampled the batch (a few KB). The generator reads the activations alongside sampling, where the weights are,
/// and marks each completion with the probe's score and whether it reaches the threshold; the judge's reward reads
/// the mark.
/// </summary>
public sealed record DetectorSpec
{
    /// <summary>The decoder layer whose output the probe reads (0-based).</summary>
    public required int Layer { get; init; }

    /// <summary>"mean" over the completion's tokens or its "last" token.</summary>
    public required string Pooling { get; init; }

    public required double[] Weights { get; init; }
    public required double Bias { get; init; }

    /// <summary>A score at or above this flags.</summary>
    public required double Threshold { get; init; }
}
