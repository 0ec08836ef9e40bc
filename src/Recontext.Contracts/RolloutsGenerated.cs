namespace Recontext.Contracts;

/// <summary>Event from the generator: the batch's completions, prompt-major (the coordinator sends them on to the
/// judge as <see cref="JudgeRollouts"/>).</summary>
public sealed record RolloutsGenerated
{
    public required string RunId { get; init; }
    public required int Step { get; init; }
    public required Guid BatchId { get; init; }
    public required int PolicyVersion { get; init; }
    public required SampledCompletion[] Completions { get; init; }
    public required double Seconds { get; init; }

    /// <summary>Which generator drew the chunk (host, process and replica): where a batch's work went.</summary>
    public string Worker { get; init; } = "";

    /// <summary>The request this batch answers, passed on so that the judge and the recontextualizer need no run state
    /// (the tasks, the variant shown, the prompts, the recontextualization).</summary>
    public required GenerateRollouts Request { get; init; }
}
