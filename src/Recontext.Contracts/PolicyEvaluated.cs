namespace Recontext.Contracts;

/// <summary>Event: the evaluation of one policy version, one entry per eval context.</summary>
public sealed record PolicyEvaluated
{
    public required string RunId { get; init; }
    public required int Step { get; init; }
    public required Guid EvaluationId { get; init; }
    public required ContextEvaluation[] Contexts { get; init; }
}
