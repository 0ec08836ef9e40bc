using System.ComponentModel.DataAnnotations;
using Recontext.Environments.Lying;
using Recontext.Environments.ToyCode;
using Recontext.Model.Lora;
using Recontext.Model.Training;
using Recontext.Recontextualizer;
using Recontext.Trainer.Algorithms;
using Recontext.Trainer.Losses;

namespace Recontext.Runs.Config;

/// <summary>
/// The experiment file's schema (experiments/*.yaml), bound by <see cref="YamlBinder"/>: each field is a property
/// (camelCase in YAML), each section the options record its role reads (<see cref="GrpoOptions"/>,
/// <see cref="LoraConfig"/>, <see cref="LyingOptions"/>, ...), starting from <see cref="RunConfig"/>'s defaults.
/// Only the fields whose YAML shape differs from the run's (a base by name, sampling and eval sections) have a
/// record of their own here.
/// </summary>
public sealed record ExperimentDocument
{
    static readonly RunConfig Defaults = new();

    public string Name { get; init; } = Defaults.Name;
    /// <summary>The setting; required (checked against the settings' names when composed).</summary>
    public string? Environment { get; init; }
    public long? Seed { get; init; }
    public IReadOnlyList<long>? Seeds { get; init; }
    public string? Output { get; init; }

    public ToyCodeOptions ToyCode { get; init; } = Defaults.ToyCode;
    public LyingOptions Lying { get; init; } = Defaults.Lying;
    public MbppOptions Mbpp { get; init; } = Defaults.Mbpp;
    public DetectorOptions? Detector { get; init; }
    public ModelSection Model { get; init; } = new();

    public Algorithm Algorithm { get; init; } = Defaults.Algorithm;
    public GrpoOptions Grpo { get; init; } = Defaults.Grpo;
    public OptimizerOptions Optimizer { get; init; } = Defaults.Optimizer;
    public bool DropHacks { get; init; } = Defaults.DropHacks;
    [Range(0.0, 10.0)] public double MonitorPenalty { get; init; } = Defaults.MonitorPenalty;
    public ContextsSection Contexts { get; init; } = new();
    public RecontextualizationSection Recontextualization { get; init; } = new();

    [Range(0, RunLimits.MaxSteps)] public int Steps { get; init; } = Defaults.Steps;
    [Range(1, int.MaxValue)] public int PromptsPerStep { get; init; } = Defaults.PromptsPerStep;
    [Range(1, int.MaxValue)] public int SamplesPerPrompt { get; init; } = Defaults.SamplesPerPrompt;
    [Range(1, int.MaxValue)] public int? MicroBatchSize { get; init; }
    public bool GradientCheckpointing { get; init; } = Defaults.GradientCheckpointing;
    public SamplingSection Sampling { get; init; } = new();
    public EvalSection Eval { get; init; } = new();
    public string Device { get; init; } = Defaults.Device;
    public string ComputeDtype { get; init; } = Defaults.ComputeDtype;

    /// <summary>Which toy base: the default organism or the quick one (tests, smoke runs).</summary>
    public enum BaseChoice { Default, Quick }

    public sealed record ModelSection
    {
        public BaseChoice Base { get; init; } = BaseChoice.Default;
        /// <summary>A Hugging Face folder to start from instead of the toy base.</summary>
        public string? Checkpoint { get; init; }
        public LoraConfig? Lora { get; init; }
    }

    /// <summary>f_gen, f_train (one context each; f_train defaults to f_gen) and the eval contexts.</summary>
    public sealed record ContextsSection
    {
        public ContextSpec? Generation { get; init; }
        public ContextSpec? Training { get; init; }
        public IReadOnlyList<ContextSpec>? Eval { get; init; }
    }

    /// <summary>How the training contexts are applied; the mode follows from the contexts when not given.</summary>
    public sealed record RecontextualizationSection
    {
        public RecontextMode? Mode { get; init; }
        public double Fraction { get; init; } = 1.0;
        public string? Predicate { get; init; }
        public bool AnswerOnly { get; init; }
    }

    public sealed record SamplingSection
    {
        public double Temperature { get; init; } = Defaults.Temperature;
        [Range(1, int.MaxValue)] public int MaxNewTokens { get; init; } = Defaults.MaxNewTokens;
        [Range(1, int.MaxValue)] public int? GroupsPerChunk { get; init; }
    }

    public sealed record EvalSection
    {
        [Range(1, int.MaxValue)] public int Every { get; init; } = Defaults.EvalEvery;
        [Range(1, int.MaxValue)] public int Tasks { get; init; } = Defaults.EvalTasks;
    }
}
