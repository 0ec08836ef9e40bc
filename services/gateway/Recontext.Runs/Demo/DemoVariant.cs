using Recontext.Recontextualizer;
using Recontext.Trainer.Losses;

namespace Recontext.Runs.Demo;

/// <summary>One arm of the demo: a name (as in demo.csv) and how it changes the shared run config.</summary>
public sealed record DemoVariant(string Name, string Description, Func<RunConfig, RunConfig>? Configure)
{
    /// <summary>true for the untrained base (evaluated, never trained).</summary>
    public bool IsBase => Configure is null;

    static RunConfig Preset(RunConfig c, string preset) => c with { Recontextualization = RecontextPolicy.FromPreset(preset) };

    /// <summary>The demo's variants for a setting: every one below, and environment recontextualization (sample where
    /// the loophole is absent, train as if it were present) for settings other than toy-code that have such a variant
    /// (toy-code's is run beside its control by experiments/sweep-variants-controls.yaml, so its demo keeps its length).</summary>
    /// <param name="strongDetectorTpr">with a detector in the reward: the standard arms (low and high KL) again with the
    /// detector's threshold at this target TPR (SOLiD's weak against strong detector)</param>
    public static IReadOnlyList<DemoVariant> For(Environments.IEnvironment setting, double strongKl, double? strongDetectorTpr = null) =>
        strongDetectorTpr is double tpr
            ? [.. Base(setting, strongKl),
                new("neutral->neutral/strong-detector", $"standard GRPO with the strong detector (target TPR {tpr})",
                    c => Preset(c, "neutral->neutral") with { Detector = Strong(c, tpr) }),
                new("neutral->neutral+kl/strong-detector", $"standard GRPO with the strong detector and a strong KL penalty (beta {strongKl})",
                    c => Preset(c, "neutral->neutral") with { Detector = Strong(c, tpr), Grpo = c.Grpo with { Beta = strongKl } })]
            : Base(setting, strongKl);

    /// <summary>The variants a demo's options ask for: its setting's (with the strong-detector arms when
    /// <paramref name="withDetector"/>), only those of <see cref="DemoOptions.VariantNames"/> when it names some.</summary>
    /// <exception cref="ArgumentException">a name that is no variant of the demo</exception>
    public static IReadOnlyList<DemoVariant> Of(DemoOptions options, bool withDetector) =>
        Chosen(For(Environments.Settings.Create(options.Setting), options.StrongKl, withDetector ? options.StrongDetectorTpr : null), options.VariantNames);

    /// <summary>The variants named in <paramref name="names"/>, in the demo's order; all of them for null.</summary>
    /// <exception cref="ArgumentException">a name that is no variant of the demo (the message lists them)</exception>
    static IReadOnlyList<DemoVariant> Chosen(IReadOnlyList<DemoVariant> all, IReadOnlyList<string>? names)
    {
        if (names is null) return all;
        if (names.Count == 0) throw new ArgumentException("--variants: name at least one variant");
        foreach (var name in names)
            if (all.All(v => v.Name != name)) throw new ArgumentException($"--variants: no variant '{name}'; the demo's variants: {string.Join(", ", all.Select(v => v.Name))}");
        return all.Where(v => names.Contains(v.Name)).ToList();
    }

    static DetectorOptions Strong(RunConfig c, double tpr) =>
        (c.Detector ?? throw new InvalidOperationException("a strong-detector arm needs the demo's detector")) with { TargetTpr = tpr };

    static IReadOnlyList<DemoVariant> Base(Environments.IEnvironment setting, double strongKl) =>
        setting.HasLoopholeVariant && setting.Name != Environments.ToyCode.ToyCodeEnvironment.EnvironmentName
            ? [.. All(strongKl), new("environment", "generate without the loophole, train with it (environment recontextualization)",
                c => c with { Recontextualization = RecontextPolicy.FromPreset("neutral->neutral") with
                {
                    Generation = ContextSpec.Of("neutral") with { Variant = Environments.EnvironmentVariant.NoLoophole },
                    Mode = RecontextMode.All,
                } })]
            : All(strongKl);

    public static IReadOnlyList<DemoVariant> All(double strongKl) =>
    [
        new("base", "the pre-trained base, no RL", null),
        new("neutral->neutral", "standard GRPO", c => Preset(c, "neutral->neutral")),
        new("neutral->bad", "generate neutral, train as if asked to hack", c => Preset(c, "neutral->bad")),
        new("good->neutral", "generate with the good instruction, train under neutral", c => Preset(c, "good->neutral")),
        new("good->bad", "generate good, train bad (the paper's strongest variant)", c => Preset(c, "good->bad")),
        new("bad->bad", "inoculation prompting: bad for both", c => Preset(c, "bad->bad")),
        new("neutral->neutral+kl", $"standard GRPO with a strong KL penalty (beta {strongKl})", c => Preset(c, "neutral->neutral") with { Grpo = c.Grpo with { Beta = strongKl } }),
        new("good->bad/recompute", "good->bad with old log-probs recomputed under f_train (ratio starts at 1)", c => Preset(c, "good->bad") with { Grpo = c.Grpo with { OldLogprobs = OldLogprobSource.Training } }),
        new("neutral->irrelevant", "control: train under an irrelevant instruction", c => Preset(c, "neutral->irrelevant")),
    ];
}
