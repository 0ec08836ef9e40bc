using Recontext.Runs.Analysis;
using Recontext.Runs.Config;
using Recontext.Runs.Evaluation;
using Recontext.Runs.Sweeps;

namespace Recontext.Runs.Tests;

/// <summary>A pre-registered plan run on a folder: paired t tests and Holm's adjustment against hand-computed values.</summary>
public sealed class PlanAnalysisTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-analyze-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void APairedTTestMatchesHandComputedValues()
    {
        // Differences −0.20, −0.30, −0.25: mean −0.25, se 0.05/√3, t = −8.660, 2 df; for 2 df the t CDF is
        // 1/2 + t / (2 √(2 + t²)), so p = 2 (1/2 + t / (2 √77)) = 0.013072; t(0.975, 2) = 4.302653.
        var test = PairedTTest.Of([-0.20, -0.30, -0.25])!;
        Assert.Equal(-0.25, test.Mean, 12);
        Assert.Equal(0.05 / Math.Sqrt(3), test.Se, 12);
        Assert.Equal(-8.660254, test.T, 5);
        Assert.Equal(2, test.Df);
        Assert.Equal(2 * (0.5 + test.T / (2 * Math.Sqrt(2 + test.T * test.T))), test.P, 9);
        Assert.Equal(0.013072, test.P, 6);
        Assert.Equal(-0.25 - 4.302653 * test.Se, test.Low, 5);
        Assert.Null(PairedTTest.Of([0.1]));
        Assert.Equal(4.302653, Demo.PairedDifference.T95(2), 6);
        Assert.Equal(2.042272, Demo.PairedDifference.T95(30), 6);   // exact now, where the old table gave 60's 2.000 for 30–59
    }

    [Fact]
    public void HolmAdjustsStepDownAndKeepsTheOrder()
    {
        // Sorted 0.01, 0.03, 0.04 → 3 × 0.01, max(0.03, 2 × 0.03), max(0.06, 1 × 0.04).
        Assert.Equal([0.03, 0.06, 0.06], Holm.Adjust([0.01, 0.04, 0.03]).Select(p => Math.Round(p, 12)));
        Assert.Equal([1.0, 1.0], Holm.Adjust([0.6, 0.7]));
    }

    void Run(string point, long seed, double neutral, double bad)
    {
        var directory = Path.Combine(root, "runs", point, $"seed-{seed}");
        Directory.CreateDirectory(directory);
        static ContextRates Rates(string context, double hack) => new(context, 48, hack, 0.5, 1, 0.6, 0.1, 0.4, 0.2);
        File.WriteAllLines(Path.Combine(directory, RunFiles.EvaluationsFile),
            [EvaluationRecord.Header, new EvaluationRecord(0, Rates("neutral", 0.1)).ToCsv(), new EvaluationRecord(0, Rates("bad", 0.5)).ToCsv(),
             new EvaluationRecord(16, Rates("neutral", neutral)).ToCsv(), new EvaluationRecord(16, Rates("bad", bad)).ToCsv()]);
    }

    [Fact]
    public void ThePlansEndpointsAreTestedAndAdjustedAndTheRestIsExploratory()
    {
        double[] standard = [0.60, 0.70, 0.65], variant = [0.40, 0.40, 0.40], control = [0.55, 0.66, 0.58];
        for (int s = 0; s < 3; s++)
        {
            Run("standard", s + 1, 0.3, standard[s]);
            Run("neutral-bad", s + 1, 0.2, variant[s]);
            Run("control", s + 1, 0.25, control[s]);
        }
        var plan = AnalysisPlan.Parse("""
            name: t
            endpoints:
              - { variant: neutral-bad, reference: standard, evalContext: bad }
              - { variant: neutral-bad, reference: control, evalContext: bad }
            """);
        var result = PlanAnalysis.Run(plan, SweepFolder.Read(root));

        var first = PairedTTest.Of([0.40 - 0.60, 0.40 - 0.70, 0.40 - 0.65])!;
        var second = PairedTTest.Of([0.40 - 0.55, 0.40 - 0.66, 0.40 - 0.58])!;
        Assert.Equal([first.P, second.P], result.Endpoints.Select(e => e.Test!.P));
        Assert.Equal(Holm.Adjust([first.P, second.P]), result.Endpoints.Select(e => e.AdjustedP!.Value));
        Assert.Equal(result.Endpoints.Select(e => e.AdjustedP < 0.05), result.Endpoints.Select(e => e.Holds));
        // The last evaluation is used when the plan names no step; every other comparison with the plan's references is exploratory.
        Assert.DoesNotContain(result.Others, o => o is { Variant: "neutral-bad", Reference: "standard", EvalContext: "bad" });
        Assert.Contains(result.Others, o => o is { Variant: "neutral-bad", Reference: "standard", EvalContext: "neutral" });
        Assert.Contains(result.Others, o => o is { Variant: "control", Reference: "standard", EvalContext: "bad" });
        Assert.Equal(0.0, result.Others.Single(o => o is { Variant: "neutral-bad", Reference: "standard", EvalContext: "neutral" }).Test!.Se);
    }

    [Theory]
    [InlineData("name: t", "endpoints: list at least one")]
    [InlineData("endpoints: [{ variant: a, reference: a }]", "endpoints[0] compares a with itself")]
    [InlineData("metric: hack\nendpoints: [{ variant: a, reference: b }]", "metric is 'hack'; allowed: samples, misbehaviour_rate")]
    [InlineData("correction: bonferroni\nendpoints: [{ variant: a, reference: b }]", "correction is 'bonferroni'; allowed: holm, none")]
    [InlineData("endpoints: [{ variant: a, referenc: b }]", "unknown field 'endpoints[0].referenc'")]
    [InlineData("alpha: 0.9\nendpoints: [{ variant: a, reference: b }]", "alpha must be in [0.0001, 0.5], got 0.9")]
    public void ABadPlanIsRefusedByField(string yaml, string message) =>
        Assert.Contains(message, Assert.Throws<ExperimentException>(() => AnalysisPlan.Parse(yaml)).Message);

    [Fact]
    public void AnEndpointNamingNoPointOfTheFolderIsRefused()
    {
        Run("standard", 1, 0.3, 0.6);
        var plan = AnalysisPlan.Parse("endpoints: [{ variant: neutral-bad, reference: standard }]");
        Assert.Contains("has no point 'neutral-bad'; its points: standard", Assert.Throws<ArgumentException>(() => PlanAnalysis.Run(plan, SweepFolder.Read(root))).Message);
    }

    [Fact]
    public void TheCommittedPlansParse()
    {
        var plans = Directory.GetFiles(Path.Combine(TestSupport.RepositoryRoot.Path, "experiments", "plans"), "*.yaml");
        Assert.NotEmpty(plans);
        foreach (var plan in plans) Assert.NotEmpty(AnalysisPlan.Load(plan).Endpoints);
    }
}
