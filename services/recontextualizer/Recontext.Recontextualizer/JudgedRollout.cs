using Recontext.Environments;

namespace Recontext.Recontextualizer;

/// <summary>A sampled completion with the context it was sampled under and the judge's score.</summary>
public sealed record JudgedRollout(
    EnvironmentTask Task,
    int Group,
    PromptContext GenerationContext,
    int[] GenerationPromptIds,
    int[] CompletionIds,
    float[] GenerationLogProbs,
    JudgeScore Score);
