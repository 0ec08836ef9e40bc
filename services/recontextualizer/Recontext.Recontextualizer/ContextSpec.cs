using Recontext.Environments;

namespace Recontext.Recontextualizer;

/// <summary>
/// A context function as an experiment names it: an instruction (a preset — neutral, good, bad, irrelevant — or
/// custom text), where it goes, and which environment variant is shown.
/// </summary>
public sealed record ContextSpec
{
    /// <summary>Label in reports; defaults to the preset's name, or "custom".</summary>
    public string? Name { get; init; }

    /// <summary>neutral | good | bad | irrelevant | good-heldout | bad-heldout; ignored when <see cref="Text"/> is given.</summary>
    public string? Preset { get; init; }

    /// <summary>Custom instruction text.</summary>
    public string? Text { get; init; }

    public InstructionPlacement Placement { get; init; } = InstructionPlacement.UserSuffix;

    public EnvironmentVariant Variant { get; init; } = EnvironmentVariant.Loophole;

    public static readonly IReadOnlyList<string> Presets = ["neutral", "good", "bad", "irrelevant", GoodHeldOut, BadHeldOut];

    /// <summary>The setting's held-out paraphrases of good and bad: never in pre-training or training, for evaluation.</summary>
    public const string GoodHeldOut = "good-heldout", BadHeldOut = "bad-heldout";

    /// <summary>An instruction unrelated to the misbehaviour (the paper's irrelevant-instruction control).</summary>
    public const string IrrelevantInstruction = "Use tidy formatting in your answer.";

    public static ContextSpec Of(string preset, InstructionPlacement placement = InstructionPlacement.UserSuffix) => new() { Preset = preset, Placement = placement };

    public string Label => Name ?? (Text is not null ? "custom" : Preset ?? "neutral");

    /// <summary>The concrete context for an environment; throws naming the bad field.</summary>
    public PromptContext Resolve(IEnvironment environment)
    {
        if (Text is not null) return new PromptContext(Label, Text, Placement, Variant);
        IReadOnlyList<string> phrasings = (Preset ?? "neutral") switch
        {
            "neutral" => [],
            "good" => environment.Instructions(ContextPreset.Good).Training,
            "bad" => environment.Instructions(ContextPreset.Bad).Training,
            GoodHeldOut => HeldOut(environment, ContextPreset.Good),
            BadHeldOut => HeldOut(environment, ContextPreset.Bad),
            "irrelevant" => [IrrelevantInstruction],
            var other => throw new ArgumentException($"context preset '{other}' is unknown; allowed: {string.Join(", ", Presets)} (or give text)"),
        };
        return PromptContext.Of(Label, phrasings, Placement, Variant);
    }

    static IReadOnlyList<string> HeldOut(IEnvironment environment, ContextPreset preset)
    {
        var phrasings = environment.Instructions(preset).HeldOut;
        return phrasings.Count > 0 ? phrasings : throw new ArgumentException($"setting {environment.Name} has no held-out phrasings of its {preset.ToString().ToLowerInvariant()} instruction");
    }
}
