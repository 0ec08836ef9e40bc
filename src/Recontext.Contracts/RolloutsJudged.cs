namespace Recontext.Contracts;

/// <summary>Event from the judge: the batch's completions with one score each (same order).</summary>
public sealed record RolloutsJudged
{
    public required string RunId { get; init; }
    public required int Step { get; init; }
    public required Guid BatchId { get; init; }
    public required int PolicyVersion { get; init; }
    public required SampledCompletion[] Completions { get; init; }
    public required CompletionScore[] Scores { get; init; }
    public required double Seconds { get; init; }

    /// <summary>The generator's time on the batch, passed on from <see cref="RolloutsGenerated.Seconds"/>.</summary>
    public double GenerateSeconds { get; init; }
    /// <summary>The request the batch answers (see <see cref="RolloutsGenerated.Request"/>).</summary>
    public required GenerateRollouts Request { get; init; }
}
