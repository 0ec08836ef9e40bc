namespace Recontext.Contracts;

/// <summary>
/// One completion ready for the trainer: the training-context prompt tokens spliced onto the unchanged
/// completion tokens, with what the loss needs. Token ids travel, never text, so a completion is never
/// re-tokenized.
/// </summary>
public sealed record TrainingSample
{
    public required string TaskId { get; init; }

    /// <summary>Index of the prompt's group (GRPO normalises rewards within it).</summary>
    public required int Group { get; init; }

    /// <summary>Prompt under f_gen, as sampled (the distillation teacher's context).</summary>
    public required int[] GenerationPromptIds { get; init; }

    /// <summary>Prompt under f_train (equal to <see cref="GenerationPromptIds"/> when not recontextualized).</summary>
    public required int[] TrainingPromptIds { get; init; }

    /// <summary>Completion tokens exactly as sampled.</summary>
    public required int[] CompletionIds { get; init; }

    /// <summary>Per completion token: log π_gen(y_t | f_gen, y_&lt;t) at sampling time.</summary>
    public required float[] GenerationLogProbs { get; init; }

    /// <summary>Per completion token: 1 to train on it, 0 to mask it (answer-only training masks the reasoning).</summary>
    public required float[] LossMask { get; init; }

    /// <summary>The training reward the judge gave.</summary>
    public required double Reward { get; init; }

    public required string GenerationContext { get; init; }

    public required string TrainingContext { get; init; }

    /// <summary>Whether f_train differs from f_gen for this sample.</summary>
    public bool Recontextualized => TrainingContext != GenerationContext || !TrainingPromptIds.AsSpan().SequenceEqual(GenerationPromptIds);
}
