namespace Recontext.Contracts;

/// <summary>Event from the trainer: the run's policy is released (also sent when the trainer did not hold it).</summary>
public sealed record TrainingStopped
{
    public required string RunId { get; init; }
    public required Guid RequestId { get; init; }
}
