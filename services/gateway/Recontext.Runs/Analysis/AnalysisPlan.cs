using System.ComponentModel.DataAnnotations;
using Recontext.Runs.Config;

namespace Recontext.Runs.Analysis;

/// <summary>
/// A pre-registered analysis (YAML, written and committed before the runs): the primary endpoints — which variant
/// against which reference, under which eval context, at which step, on which metric — tested by a two-sided paired t
/// test over seeds and corrected together (Holm). `recontext analyze PLAN FOLDER` computes exactly those; every other
/// comparison it prints is labelled exploratory.
/// </summary>
public sealed record AnalysisPlan
{
    public string Name { get; init; } = "analysis";

    /// <summary>The evaluation step compared; null: each run's last evaluation.</summary>
    [Range(0, RunLimits.MaxSteps)] public int? Step { get; init; }

    /// <summary>An evaluations.csv column (default the misbehaviour rate).</summary>
    public string Metric { get; init; } = "misbehaviour_rate";

    /// <summary>The family-wise error rate the adjusted p-values are held to.</summary>
    [Range(0.0001, 0.5)] public double Alpha { get; init; } = 0.05;

    public PlanCorrection Correction { get; init; } = PlanCorrection.Holm;

    public IReadOnlyList<Endpoint> Endpoints { get; init; } = [];

    public enum PlanCorrection { Holm, None }

    /// <param name="Variant">a point (folder name under runs/)</param>
    public sealed record Endpoint
    {
        public string Variant { get; init; } = "";
        public string Reference { get; init; } = "";
        public string EvalContext { get; init; } = "neutral";
    }

    /// <exception cref="ExperimentException">not a plan (the message names the field)</exception>
    public static AnalysisPlan Load(string path)
    {
        if (!File.Exists(path)) throw new ExperimentException($"analysis plan '{path}' does not exist");
        return Parse(File.ReadAllText(path));
    }

    public static AnalysisPlan Parse(string yaml)
    {
        var plan = YamlBinder.Bind<AnalysisPlan>(YamlDepth.Root(yaml) ?? throw new ExperimentException("the analysis plan is empty"), "");
        if (plan.Endpoints.Count == 0) throw new ExperimentException("endpoints: list at least one {variant, reference, evalContext}");
        for (int i = 0; i < plan.Endpoints.Count; i++)
        {
            var e = plan.Endpoints[i];
            if (e.Variant.Length == 0 || e.Reference.Length == 0) throw new ExperimentException($"endpoints[{i}] needs variant and reference");
            if (e.Variant == e.Reference) throw new ExperimentException($"endpoints[{i}] compares {e.Variant} with itself");
        }
        var numbers = EvaluationRecord.Table.Columns.Select(c => c.Name).Where(n => n is not "step" and not EvaluationRecord.ContextColumn).ToList();
        if (!numbers.Contains(plan.Metric)) throw new ExperimentException($"metric is '{plan.Metric}'; allowed: {string.Join(", ", numbers)}");
        return plan;
    }
}
