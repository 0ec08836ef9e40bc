namespace Recontext.Environments;

/// <summary>
/// A context function f: an instruction (or none, or a family of paraphrases), where it goes, and which environment
/// variant is shown.
/// </summary>
/// <param name="Name">label for reports, e.g. "neutral", "good", "bad", "bad-heldout", "custom"</param>
/// <param name="Instruction">text added to the prompt; null or empty for none. With <see cref="Paraphrases"/>, the
/// first of them (for reports)</param>
public sealed record PromptContext(
    string Name,
    string? Instruction,
    InstructionPlacement Placement = InstructionPlacement.UserSuffix,
    EnvironmentVariant Variant = EnvironmentVariant.Loophole)
{
    /// <summary>Phrasings of the same instruction; each task gets one of them, always the same one for the same task
    /// id (so a prompt is a pure function of task and context). Null: <see cref="Instruction"/> alone.</summary>
    public IReadOnlyList<string>? Paraphrases { get; init; }

    /// <summary>A context of one or several phrasings (none: no instruction).</summary>
    public static PromptContext Of(string name, IReadOnlyList<string> phrasings, InstructionPlacement placement, EnvironmentVariant variant) =>
        new(name, phrasings.Count == 0 ? null : phrasings[0], placement, variant) { Paraphrases = phrasings.Count > 1 ? phrasings : null };

    /// <summary>The instruction <paramref name="taskId"/> is shown (a stable hash of the id picks the paraphrase).</summary>
    public string? InstructionFor(string taskId)
    {
        if (Paraphrases is not { Count: > 0 } phrasings) return Instruction;
        uint hash = 2166136261;   // FNV-1a: string.GetHashCode is salted per process, and prompts must match across processes
        foreach (char c in taskId) hash = (hash ^ c) * 16777619;
        return phrasings[(int)(hash % (uint)phrasings.Count)];
    }
}
