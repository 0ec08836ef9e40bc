namespace Recontext.Judge.Abstractions;

/// <summary>
/// A context function f: an instruction (or none), where it goes, and which environment variant is shown.
/// </summary>
/// <param name="Name">label for reports, e.g. "neutral", "good", "bad", "custom"</param>
/// <param name="Instruction">text added to the prompt; null or empty for none</param>
public sealed record PromptContext(
    string Name,
    string? Instruction,
    InstructionPlacement Placement = InstructionPlacement.UserSuffix,
    EnvironmentVariant Variant = EnvironmentVariant.Loophole);
