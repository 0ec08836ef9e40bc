namespace Recontext.Contracts;

/// <summary>Event from the trainer: the new policy version and what the update did.</summary>
public sealed record PolicyUpdated
{
    public required string RunId { get; init; }
    public required int Step { get; init; }
    public required Guid BatchId { get; init; }
    public required int Version { get; init; }
    public required float Loss { get; init; }
    public required float Kl { get; init; }
    public required float ClippedFraction { get; init; }
    public required float ContextGap { get; init; }
    /// <summary>Each sample's completion log-prob under f_train before the update (sum over its tokens), in batch order;
    /// null when the algorithm does not compute it (only GRPO does).</summary>
    public float[]? TrainingLogpSums { get; init; }
    public required double Seconds { get; init; }
}
