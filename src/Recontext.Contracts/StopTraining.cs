namespace Recontext.Contracts;

/// <summary>Command to the trainer: the run is over (or stopped); release its policy. Answered by <see cref="TrainingStopped"/>.</summary>
public sealed record StopTraining
{
    public required string RunId { get; init; }
    public required Guid RequestId { get; init; }
}
