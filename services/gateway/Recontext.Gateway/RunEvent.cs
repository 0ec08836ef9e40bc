using Recontext.Runs;
using Recontext.Store;

namespace Recontext.Gateway;

/// <summary>One event of a run's stream: its status changed, a step finished, or an evaluation was recorded.</summary>
public sealed record RunEvent
{
    /// <summary>status | progress | step | evaluation</summary>
    public required string Kind { get; init; }
    public required string RunId { get; init; }
    public long? Seed { get; init; }
    public RunStatus? Status { get; init; }
    public int? Step { get; init; }
    public int? Steps { get; init; }
    public string? Phase { get; init; }
    public StepRecord? Metrics { get; init; }
    public EvaluationRecord? Evaluation { get; init; }
    public string? Error { get; init; }
}
