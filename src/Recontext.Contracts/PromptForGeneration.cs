namespace Recontext.Contracts;

/// <summary>One prompt to sample from: the task it renders, its group (prompt index) and its f_gen token ids.</summary>
public sealed record PromptForGeneration
{
    public required string TaskId { get; init; }
    public required int Group { get; init; }
    public required int[] PromptIds { get; init; }
}
