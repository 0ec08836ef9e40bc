using Recontext.Recontextualizer;

namespace Recontext.Runs.Demo;

/// <summary>Settings of `recontext demo`.</summary>
public sealed record DemoOptions
{
    public bool Quick { get; init; }

    /// <summary>The setting the demo trains (<see cref="Judge.Settings"/>; one with an organism, a toy base).</summary>
    public string Setting { get; init; } = Environments.ToyCode.ToyCodeEnvironment.EnvironmentName;
    public int Seeds { get; init; } = 3;
    public long FirstSeed { get; init; } = 1;

    /// <summary>The seeds, when not <see cref="Seeds"/> from <see cref="FirstSeed"/> on (a sweep's list).</summary>
    public IReadOnlyList<long>? SeedList { get; init; }

    public IReadOnlyList<long> SeedValues => SeedList ?? Enumerable.Range(0, Seeds).Select(k => FirstSeed + k).ToList();

    /// <summary>Only these of the demo's variants (by name, e.g. base, neutral->neutral, neutral->bad); null: all of them.</summary>
    public IReadOnlyList<string>? VariantNames { get; init; }

    /// <summary>The pre-training seed of the base every arm starts from (1: the default base, shipped in organisms/bases).</summary>
    public long BaseSeed { get; init; } = 1;

    /// <summary>The folder of the demo on the base pre-trained from <paramref name="baseSeed"/>, when a demo runs on
    /// several bases (<c>--bases</c>): each base's runs, tables and plots, as a one-base demo writes them.</summary>
    public static string BaseFolder(string output, long baseSeed) => Path.Combine(output, $"base-{baseSeed}");
    public required string OutputDirectory { get; init; }

    /// <summary>Where the runs' traces and messages go (default: each run's traces.db, in-memory bus).</summary>
    public RunDeployment Deployment { get; init; } = RunDeployment.Embedded;

    /// <summary>GRPO steps per run; null for the budget-sized default (16, quick 4). Evaluation at 0, half-way and the end.</summary>
    public int? Steps { get; init; }

    /// <summary>β of the strong-KL baseline.</summary>
    public double StrongKl { get; init; } = 0.2;

    /// <summary>The detector every arm's reward reads (the lying setting's weak detector: a low target TPR); null: none.</summary>
    public DetectorOptions? Detector { get; init; }

    /// <summary>The weak detector's target TPR (the demo's <see cref="Detector"/>): below 0.5, a lie that escapes it pays more
    /// on average than a disappointing truth (1 − TPR against the truthful reward 0.5).</summary>
    public double WeakDetectorTpr { get; init; } = 0.3;

    /// <summary>The strong detector's target TPR: the standard arms run again with it (with low and high KL).</summary>
    public double StrongDetectorTpr { get; init; } = 0.9;

    /// <summary>Replaces the budget-sized shared config (smaller runs for tests; its Base is still set from the demo's).</summary>
    public RunConfig? Shared { get; init; }

    int StepCount => Steps ?? (Quick ? 4 : 16);

    /// <summary>The shared run config every variant starts from.</summary>
    public RunConfig BaseConfig(Organism.BaseModelOptions baseModel) => SharedConfig(baseModel) with { Detector = Detector };

    RunConfig SharedConfig(Organism.BaseModelOptions baseModel) => Shared is not null
        ? Shared with { Base = baseModel, Environment = Setting, Steps = Steps ?? Shared.Steps }
        : new()
        {
            Base = baseModel,
            Environment = Setting,
            // The held-out paraphrases of good and bad too: does what training did to a context carry over to words it never saw?
            EvalContexts = [.. new[] { "neutral", "good", "bad", ContextSpec.GoodHeldOut, ContextSpec.BadHeldOut }.Select(c => ContextSpec.Of(c))],
            // Sized for the 15-minute budget on 2 cores (8 trained variants × 3 seeds); see docs/organism.md.
            Steps = StepCount,
            PromptsPerStep = Quick ? 6 : 12,
            SamplesPerPrompt = Quick ? 4 : 6,
            EvalEvery = Math.Max(1, StepCount / 2),
            EvalTasks = Quick ? 24 : 48,
            MaxNewTokens = 120,
        };
}
