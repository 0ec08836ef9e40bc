using Recontext.Gateway.Dashboard.Catalog;
using Recontext.Gateway.Dashboard.Compare;
using Recontext.Runs;
using Recontext.Runs.Demo;
using Recontext.Runs.Evaluation;
using Recontext.Store;

namespace Recontext.Gateway.Tests.Dashboard;

/// <summary>The compare page's numbers: what the demo prints (differences from standard GRPO and from the control,
/// paired within base and seed) and a demo's runs named after the demo, not after its runs/ folder.</summary>
public class ComparisonTests
{
    static RunDetail Run(string name, RunVariant variant, long baseSeed, long seed, double neutral, int steps = 4, int evaluated = 4) => new(new DashboardRun
    {
        Key = $"demo/base-{baseSeed}/runs/{name}/seed-{seed}", Experiment = "demo", Name = name, Seed = seed, BaseSeed = baseSeed, Status = RunStatus.Completed,
        Step = steps, Steps = steps, Variant = variant,
    }, null, null, [], [new EvaluationRecord(evaluated, new ContextRates("neutral", 10, neutral, 0.5, 1, 0.5, 0, 0, 0))]);

    static readonly RunVariant Standard = new("neutral", "neutral", "standard", "grpo");
    static readonly RunVariant Control = new("neutral", "irrelevant", "all", "grpo");
    static readonly RunVariant NeutralBad = new("neutral", "bad", "all", "grpo");

    [Fact]
    public void EachVariantIsPairedWithStandardAndTheControlWithinBaseAndSeed()
    {
        var rates = new Dictionary<(long Base, long Seed), (double Standard, double Control, double NeutralBad)>
        {
            [(1, 1)] = (0.40, 0.30, 0.20), [(1, 2)] = (0.50, 0.45, 0.30), [(2, 1)] = (0.30, 0.30, 0.25), [(2, 2)] = (0.35, 0.20, 0.30),
        };
        var runs = rates.SelectMany(kv => new[]
        {
            Run("base", Standard, kv.Key.Base, kv.Key.Seed, 0.1, steps: 0, evaluated: 0),   // evaluation only: configured neutral → neutral, no reference
            Run("neutral->neutral", Standard, kv.Key.Base, kv.Key.Seed, kv.Value.Standard),
            Run("neutral->irrelevant", Control, kv.Key.Base, kv.Key.Seed, kv.Value.Control),
            Run("neutral->bad", NeutralBad, kv.Key.Base, kv.Key.Seed, kv.Value.NeutralBad),
        }).ToList();
        runs.Add(Run("neutral->bad", NeutralBad, 3, 1, 0.9, evaluated: 2));   // a third base's run whose standard run is missing
        runs.Add(Run("neutral->neutral", Standard, 3, 2, 0.9, evaluated: 2));
        runs.Add(Run("neutral->bad", NeutralBad, 3, 2, 0.1, evaluated: 4));    // evaluated at another step than its standard run: not paired

        var comparison = Comparison.Of(runs);

        Assert.Equal([new ComparisonReference("neutral->neutral", "standard"), new ComparisonReference("neutral->irrelevant", "control")], comparison.References);
        Assert.Equal([1, 2, 3], comparison.Bases);
        var pair = comparison.Pairs.Single(p => p.Variant == "neutral->bad" && p.Reference == "neutral->neutral");
        var expected = BaseSpread.Summarise(rates.ToDictionary(kv => kv.Key, kv => kv.Value.NeutralBad - kv.Value.Standard))!;
        Assert.Equal(expected, pair.Difference);
        Assert.Equal((2, 4), (pair.Difference.Bases, pair.Difference.Units));
        Assert.Equal(-0.125, pair.Difference.Mean, 12);                       // base 1: −0.2, −0.2; base 2: −0.05, −0.05
        var control = comparison.Pairs.Single(p => p.Variant == "neutral->bad" && p.Reference == "neutral->irrelevant");
        Assert.Equal((0.20 - 0.30 + 0.30 - 0.45) / 2 / 2 + (0.25 - 0.30 + 0.30 - 0.20) / 2 / 2, control.Difference.Mean, 12);
        Assert.DoesNotContain(comparison.Pairs, p => p.Variant == "neutral->neutral" && p.Reference == "neutral->neutral");
        Assert.NotNull(comparison.Rows.Single(r => r.Variant == "neutral->bad").BetweenBaseSd);   // several bases: their spread
    }

    [Theory]
    [InlineData("demo-1/runs/good-to-bad/seed-2", "demo-1")]
    [InlineData("demo-1/base-3/runs/good-to-bad/seed-2", "demo-1")]                // a demo on several bases is one experiment
    [InlineData("runs/good-to-bad/seed-2", "demo-started-here")]                    // the dashboard started on one demo's folder
    [InlineData("base-2/runs/good-to-bad/seed-2", "demo-started-here")]
    [InlineData("levers/lr-high/runs/standard/seed-1", "levers/lr-high")]
    [InlineData("folder-experiment/seed-5", "folder-experiment")]                   // a `recontext run` folder
    [InlineData("0f3c9a/seed-3", "0f3c9a")]                                         // a gateway run
    [InlineData("basement/runs/x/seed-1", "basement")]
    public void ADemosRunsBelongToTheDemoNotToItsRunsFolder(string key, string experiment) =>
        Assert.Equal(experiment, RunCatalog.ExperimentOf(key, "demo-started-here"));
}
