namespace Recontext.Contracts;

/// <summary>Command from the coordinator to the trainer: one update on a recontextualized batch (answered by
/// <see cref="PolicyUpdated"/>).</summary>
public sealed record TrainPolicy
{
    public required TrainingBatchReady Batch { get; init; }
}
