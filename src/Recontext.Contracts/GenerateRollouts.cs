namespace Recontext.Contracts;

/// <summary>Command to the generator: sample <see cref="SamplesPerPrompt"/> completions of every prompt.</summary>
public sealed record GenerateRollouts
{
    public required string RunId { get; init; }
    public required int Step { get; init; }
    public required Guid BatchId { get; init; }
    public required int PolicyVersion { get; init; }
    public required PromptForGeneration[] Prompts { get; init; }
    public required int SamplesPerPrompt { get; init; }
    public required double Temperature { get; init; }
    public required int MaxNewTokens { get; init; }
    public required long Seed { get; init; }

    /// <summary>Each group's task, carried on to the judge with the completions.</summary>
    public required JudgeTask[] Tasks { get; init; }

    /// <summary>The environment variant the prompts show ("loophole" or "no-loophole"): the judge scores against it.</summary>
    public required string Variant { get; init; }
}
