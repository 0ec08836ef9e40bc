using Recontext.Organism;
using Recontext.Runs.Demo;
using Recontext.Runs.Evaluation;

namespace Recontext.Runs.Tests;

/// <summary>The demo on several bases: the nested summary against hand-computed values, and the pairing within base and
/// seed on real runs from two tiny bases pre-trained from different seeds.</summary>
public sealed class BaseSpreadTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-bases-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void TheSummaryTakesTheBaseAsTheUnitAndSplitsTheVarianceBetweenBasesAndSeeds()
    {
        // Base 1's seeds give 0.1 and 0.3 (mean 0.2), base 2's 0.5 and 0.7 (mean 0.6).
        var summary = BaseSpread.Summarise(new Dictionary<(long, long), double> { [(1, 1)] = 0.1, [(1, 2)] = 0.3, [(2, 1)] = 0.5, [(2, 2)] = 0.7 })!;

        Assert.Equal(0.4, summary.Mean, 12);
        Assert.Equal(Math.Sqrt(0.08), summary.BetweenBaseSd!.Value, 12);      // SD of 0.2 and 0.6
        Assert.Equal(Math.Sqrt(0.02), summary.WithinBaseSd!.Value, 12);       // four deviations of 0.1 over 2 degrees of freedom
        Assert.Equal(0.07 / 0.09, summary.BaseVarianceShare!.Value, 12);      // σ²_base = 0.08 − 0.02 / 2
        Assert.Equal(0.4 - 12.7062047 * 0.2, summary.Low, 5);                  // t(1) × SD / √2 over the two bases' means
        Assert.Equal(0.4 + 12.7062047 * 0.2, summary.High, 5);
        double pooledHalf = 3.18244631 * Math.Sqrt(0.2 / 3) / 2;                // t(3) over the four units as if independent
        Assert.Equal(0.4 - pooledHalf, summary.PooledLow, 6);
        Assert.Equal(0.4 + pooledHalf, summary.PooledHigh, 6);
        Assert.Equal((2, 4), (summary.Bases, summary.Units));
    }

    [Fact]
    public void BasesThatAgreeLeaveTheBaseNoShareAndOneBaseFallsBackToItsSeeds()
    {
        var agreeing = BaseSpread.Summarise(new Dictionary<(long, long), double> { [(1, 1)] = 0.1, [(1, 2)] = 0.3, [(2, 1)] = 0.3, [(2, 2)] = 0.1 })!;
        Assert.Equal(0, agreeing.BetweenBaseSd!.Value, 12);
        Assert.Equal(0, agreeing.BaseVarianceShare!.Value, 12);
        Assert.Equal((0.2, 0.2), (agreeing.Low, agreeing.High));               // no spread between the bases' means

        var oneBase = BaseSpread.Summarise(new Dictionary<(long, long), double> { [(3, 1)] = 0.1, [(3, 2)] = 0.3 })!;
        Assert.Null(oneBase.BetweenBaseSd);
        Assert.Null(oneBase.BaseVarianceShare);
        Assert.Equal(0.2 - 12.7062047 * Math.Sqrt(0.02) / Math.Sqrt(2), oneBase.Low, 5);
    }

    static EvaluationRecord Eval(string context, double misbehaviour) => new(4, new ContextRates(context, 10, misbehaviour, 0.5, 1, 0.5, 0, 0, 0));

    [Fact]
    public void DifferencesArePairedWithinBaseAndSeedAndAnUnmatchedRunIsLeftOut()
    {
        BaseSpread.Final Run(long b, string variant, long seed, double rate) => new(b, variant, seed, [Eval("neutral", rate)]);
        var rows = BaseSpread.Of(
        [
            Run(1, "standard", 1, 0.5), Run(1, "nb", 1, 0.3), Run(1, "standard", 2, 0.6), Run(1, "nb", 2, 0.5),
            Run(2, "standard", 1, 0.4), Run(2, "nb", 1, 0.4), Run(2, "nb", 2, 0.9),   // base 2 seed 2 has no standard run
        ], ["standard"]);

        var difference = rows.Single(r => r.Variant == "nb" && r.Reference == "standard" && r.Metric == "misbehaviour_rate");
        Assert.Equal((2, 3), (difference.Bases, difference.Units));
        Assert.Equal(((-0.2 - 0.1) / 2 + 0.0) / 2, difference.Mean, 12);       // base 1: −0.2, −0.1; base 2: 0
        var rate = rows.Single(r => r.Variant == "nb" && r.Reference is null && r.Metric == "misbehaviour_rate");
        Assert.Equal(((0.3 + 0.5) / 2 + (0.4 + 0.9) / 2) / 2, rate.Mean, 12);
        Assert.Equal(BaseSpreadRow.Header.Split(',').Length, difference.ToCsv().Split(',').Length);
    }

    [Fact]
    public async Task TheDemoOnTwoBasesPairsEveryVariantWithinItsBaseAndSeed()
    {
        var variants = DemoVariant.For(new Environments.ToyCode.ToyCodeEnvironment(), 0.2).Where(v => v.Name is "base" or "neutral->neutral" or "neutral->bad").ToList();
        var finals = new List<BaseSpread.Final>();
        var baseDirectories = new List<string>();
        foreach (long baseSeed in new long[] { 1, 2 })
        {
            var baseModel = TinyRuns.Base with { Seed = baseSeed };
            var baseDirectory = ToyBaseModel.TrainOrLoad(baseModel, Path.Combine(root, "cache"));
            baseDirectories.Add(baseDirectory);
            var options = new DemoOptions
            {
                Seeds = 2, BaseSeed = baseSeed, OutputDirectory = DemoOptions.BaseFolder(Path.Combine(root, "demo"), baseSeed),
                Shared = new RunConfig { Steps = 1, PromptsPerStep = 2, SamplesPerPrompt = 2, MaxNewTokens = 16, EvalEvery = 1, EvalTasks = 4 },
            };
            var runner = new DemoRunner(options, baseDirectory, baseModel, variants);
            var (_, results) = await runner.RunAsync(new InProcessArmExecutor(runner), workers: 2);
            Assert.All(results, r => Assert.Equal(baseSeed, r.Config.Base.Seed));
            finals.AddRange(results.Select(r => new BaseSpread.Final(r.Config.Base.Seed, r.Config.Name, r.Config.Seed, r.Final)));
        }
        Assert.NotEqual(baseDirectories[0], baseDirectories[1]);                // a base per pre-training seed
        Assert.True(File.Exists(Path.Combine(root, "demo", "base-2", "runs", "neutral-to-bad", "seed-2", "evaluations.csv")));

        var rows = BaseSpread.Of(finals, ["neutral->neutral"]);
        await BaseSpread.WriteAsync(Path.Combine(root, "demo"), rows);

        double Rate(long b, string variant, long seed) => finals.Single(f => f.BaseSeed == b && f.Variant == variant && f.Seed == seed)
            .Evaluations.Single(e => e.Rates.Context == "neutral").Rates.MisbehaviourRate;
        double BaseMean(long b) => (Rate(b, "neutral->bad", 1) - Rate(b, "neutral->neutral", 1) + Rate(b, "neutral->bad", 2) - Rate(b, "neutral->neutral", 2)) / 2;
        var row = rows.Single(r => r.Variant == "neutral->bad" && r.Reference == "neutral->neutral" && r.EvalContext == "neutral" && r.Metric == "misbehaviour_rate");
        Assert.Equal((BaseMean(1) + BaseMean(2)) / 2, row.Mean, 12);
        Assert.Equal((2, 4), (row.Bases, row.Units));
        var csv = File.ReadAllLines(Path.Combine(root, "demo", BaseSpread.File));
        Assert.Equal(BaseSpreadRow.Header, csv[0]);
        Assert.Equal(rows.Count + 1, csv.Length);
        Assert.Contains(csv, line => line.StartsWith("neutral->bad,neutral->neutral,neutral,misbehaviour_rate,", StringComparison.Ordinal));
    }
}
