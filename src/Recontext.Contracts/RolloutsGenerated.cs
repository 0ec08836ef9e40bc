namespace Recontext.Contracts;

/// <summary>Event from the generator: the batch's completions, prompt-major.</summary>
public sealed record RolloutsGenerated
{
    public required string RunId { get; init; }
    public required int Step { get; init; }
    public required Guid BatchId { get; init; }
    public required int PolicyVersion { get; init; }
    public required SampledCompletion[] Completions { get; init; }
    public required double Seconds { get; init; }

    /// <summary>Each group's task and the variant shown, as the generator received them (see <see cref="GenerateRollouts"/>).</summary>
    public required JudgeTask[] Tasks { get; init; }

    public required string Variant { get; init; }

    /// <summary>See <see cref="GenerateRollouts.ForJudgeService"/>.</summary>
    public bool ForJudgeService { get; init; }
}
