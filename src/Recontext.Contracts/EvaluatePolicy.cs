namespace Recontext.Contracts;

/// <summary>Command: evaluate the current policy on the run's held-out tasks under each eval context.</summary>
public sealed record EvaluatePolicy
{
    public required string RunId { get; init; }
    public required int Step { get; init; }
    public required Guid EvaluationId { get; init; }
    public required int PolicyVersion { get; init; }
    public required long Seed { get; init; }
}
