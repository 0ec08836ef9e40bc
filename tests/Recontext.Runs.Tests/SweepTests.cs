using Recontext.Organism;
using Recontext.Runs.Config;
using Recontext.Runs.Demo;
using Recontext.Runs.Sweeps;

namespace Recontext.Runs.Tests;

/// <summary>Sweeps: a grid or list of settings over an experiment, validated before anything runs, run like the demo
/// into sweep.csv and paired.csv, and read back when rerun.</summary>
public sealed class SweepTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-sweep-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static string Sweep(string model, string sweep) => $$"""
        name: tiny-sweep
        environment: toy-code
        seeds: [4, 5]
        model: {{model}}
        contexts: { generation: neutral, training: bad }
        steps: 1
        promptsPerStep: 2
        samplesPerPrompt: 2
        sampling: { maxNewTokens: 16 }
        eval: { every: 1, tasks: 2 }
        sweep:
        {{sweep}}
        """;

    [Fact]
    public void AGridExpandsToEveryCombinationWithItsValuesSet()
    {
        var sweep = SweepFile.Parse(Sweep("{ base: quick }", """
              grid:
                grpo.beta: [0, 0.1]
                contexts.training: [bad, { preset: good, placement: system }]
              points:
                - { name: high-lr, optimizer.learningRate: 0.001 }
            """));
        string[] names = ["grpo.beta=0, contexts.training=bad", "grpo.beta=0, contexts.training={preset: good, placement: system}",
                          "grpo.beta=0.1, contexts.training=bad", "grpo.beta=0.1, contexts.training={preset: good, placement: system}", "high-lr"];
        Assert.Equal(names.Length, sweep.Points.Count);
        for (int i = 0; i < names.Length; i++) Assert.Equal(names[i], sweep.Points[i].Name);
        Assert.Equal([0, 0, 0.1, 0.1, 0], sweep.Points.Select(p => p.Config.Grpo.Beta));
        Assert.Equal(["bad", "good", "bad", "good", "bad"], sweep.Points.Select(p => p.Config.Recontextualization.Training.Preset));
        Assert.Equal(0.001, sweep.Points[4].Config.Optimizer.LearningRate);
        Assert.All(sweep.Points, p => Assert.Equal(p.Name, p.Config.Name));
        Assert.Equal([4L, 5L], sweep.Seeds);
    }

    [Fact]
    public void OnAnotherBaseEveryPointStartsFromThatBaseAndNothingElseChanges()
    {
        var sweep = SweepFile.Parse(Sweep("{ base: quick }", "  grid:\n    grpo.beta: [0, 0.1]"));
        var onBase = sweep.OnBase(3);
        Assert.All(onBase.Points, p => Assert.Equal(3, p.Config.Base.Seed));
        Assert.Equal(sweep.Points.Select(p => p.Config with { Base = p.Config.Base with { Seed = 3 } }), onBase.Points.Select(p => p.Config));
        Assert.NotEqual(sweep.Points[0].Config.OrganismBase.Key, onBase.Points[0].Config.OrganismBase.Key);   // a base of its own
        Assert.Equal((sweep.Name, sweep.Seeds, sweep.References), (onBase.Name, onBase.Seeds, onBase.References));
    }

    [Theory]
    [InlineData("  grid:\n    optimizer.learningRat: [0.001]", "sweep point 'optimizer.learningRat=0.001': unknown field 'optimizer.learningRat'")]
    [InlineData("  grid:\n    grpo.beta: [-1]", "sweep point 'grpo.beta=-1': ")]
    [InlineData("  grid:\n    grpo.beta: 0.1", "sweep.grid.grpo.beta must be a list of values")]
    [InlineData("  grid:\n    model.base: [default]", "sweep.grid.model.base: a sweep cannot vary model")]
    [InlineData("  grids:\n    grpo.beta: [0]", "unknown field 'sweep.grids'")]
    [InlineData("  points: []", "sweep: give at least one grid field or point")]
    [InlineData("  points:\n    - { name: a, grpo.beta: 0 }\n  references: [b]", "sweep.references[0] is 'b', which is no point of the sweep; points: a")]
    [InlineData("  points:\n    - { name: a, grpo.beta: 0 }\n  references: a", "sweep.references must be a list of point names")]
    public void ABadSweepIsRefusedNamingThePointAndTheField(string sweep, string message)
    {
        var error = Assert.Throws<ExperimentException>(() => SweepFile.Parse(Sweep("{ base: quick }", sweep)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void PairedDifferencesAreSeedBySeedWithAStudentInterval()
    {
        var variant = new Dictionary<long, double> { [1] = 0.5, [2] = 0.7, [3] = 0.6, [9] = 1.0 };
        var reference = new Dictionary<long, double> { [1] = 0.4, [2] = 0.5, [3] = 0.6 };
        var d = PairedDifference.Of(variant, reference)!;
        // Seeds 1–3 only: differences 0.1, 0.2, 0 → mean 0.1, sd 0.1, se 0.1/√3, t(2) = 4.3027 (MathNet's exact quantile).
        Assert.Equal(3, d.Seeds);
        Assert.Equal(0.1, d.Mean, 12);
        Assert.Equal(0.1 / Math.Sqrt(3), d.Se, 12);
        Assert.Equal(0.1 - 4.302652729911275 * 0.1 / Math.Sqrt(3), d.Low, 9);
        Assert.Equal(0.1 + 4.302652729911275 * 0.1 / Math.Sqrt(3), d.High, 9);
        Assert.Equal("+0.10 [-0.15, +0.35]", d.Describe());
        // sd 0.1: at 6 seeds the half-width is 2.571 · 0.1 / √6 = 0.105, at 7 seeds 2.447 · 0.1 / √7 = 0.092.
        Assert.Equal(7, d.SeedsFor(0.1));
        Assert.Equal("0.00 [0.00, 0.00]", PairedDifference.Of(new Dictionary<long, double> { [1] = 0.3 }, new Dictionary<long, double> { [1] = 0.301 })!.Describe());
        Assert.Null(PairedDifference.Of(variant, new Dictionary<long, double> { [7] = 0 }));
    }

    [Fact]
    public async Task ASweepRunsEveryPointAndSeedWritesItsTablesAndIsReadBackWhenRerun()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var sweep = SweepFile.Parse(Sweep($"{{ checkpoint: {baseDir} }}", "  grid:\n    contexts.training: [bad, neutral]"));
        var output = Path.Combine(root, "out");
        var runner = SweepRuns.Runner(sweep, output, baseDir, RunDeployment.Embedded);
        var (rows, results) = await runner.RunAsync(new InProcessArmExecutor(runner), workers: 2);

        Assert.Equal(4, results.Count);   // 2 points × 2 seeds
        Assert.Equal(["contexts.training=bad", "contexts.training=neutral"], results.Select(r => r.Config.Name).Distinct().Order());
        Assert.Equal(2 * 3, rows.Count);   // points × eval contexts
        Assert.All(rows, r => Assert.Equal(2, r.Seeds));
        var table = File.ReadAllLines(Path.Combine(output, SweepRuns.Table));
        Assert.Equal(1 + 6, table.Length);
        Assert.StartsWith("toy-code,contexts.training=bad,neutral,", table[1]);
        // paired.csv: the second point against the first, under 3 eval contexts, for hack and correct rates, from the
        // same final evaluations as the runs' own files.
        var paired = File.ReadAllLines(Path.Combine(output, DemoRunner.PairedFile)).Skip(1).ToList();
        Assert.Equal(6, paired.Count);
        Assert.All(paired, l => Assert.StartsWith("contexts.training=neutral,contexts.training=bad,", l));
        var expected = PairedDifference.Of(
            results.Where(r => r.Config.Name == "contexts.training=neutral").ToDictionary(r => r.Config.Seed, r => r.Final.Single(e => e.Rates.Context == "bad").Rates.MisbehaviourRate),
            results.Where(r => r.Config.Name == "contexts.training=bad").ToDictionary(r => r.Config.Seed, r => r.Final.Single(e => e.Rates.Context == "bad").Rates.MisbehaviourRate))!;
        Assert.Contains(paired, l => l.StartsWith($"contexts.training=neutral,contexts.training=bad,bad,misbehaviour_rate,{expected.Mean.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)},"));
        // paired-steps.csv: the same comparisons at every evaluation step; the last step's are paired.csv's.
        var steps = File.ReadAllLines(Path.Combine(output, DemoRunner.PairedStepsFile));
        Assert.Equal(PairedRow.StepsHeader, steps[0]);
        var evaluated = results[0].Evaluations.Select(e => e.Step).Distinct().Order().ToList();
        Assert.Equal(evaluated, steps.Skip(1).Select(l => int.Parse(l[..l.IndexOf(',')])).Distinct().Order());
        Assert.Equal(paired, steps.Skip(1).Where(l => l.StartsWith($"{evaluated[^1]},")).Select(l => l[(l.IndexOf(',') + 1)..]));
        Assert.True(File.Exists(Path.Combine(output, $"paired-{DemoRunner.Sanitize("contexts.training=bad")}-hack-rate-neutral.png")));
        Assert.True(new FileInfo(Path.Combine(output, "tradeoff-neutral.png")).Length > 10_000);   // the reward trade-off, drawn
        Assert.True(new FileInfo(Path.Combine(output, "unflagged-misbehaviour-neutral.png")).Length > 10_000);   // what a monitor misses, over training

        // Rerun into the same folder, now comparing with both points: every run is read back, none runs again, and
        // paired.csv gains the first point against the second.
        var stamps = results.ToDictionary(r => r.OutputDirectory, r => File.GetLastWriteTimeUtc(Path.Combine(r.OutputDirectory, "metrics.csv")));
        var both = SweepFile.Parse(Sweep($"{{ checkpoint: {baseDir} }}", "  grid:\n    contexts.training: [bad, neutral]\n  references: [contexts.training=bad, contexts.training=neutral]"));
        Assert.Equal(["contexts.training=bad", "contexts.training=neutral"], both.References);
        var again = SweepRuns.Runner(both, output, baseDir, RunDeployment.Embedded);
        var (rowsAgain, resultsAgain) = await again.RunAsync(new InProcessArmExecutor(again), workers: 1);
        Assert.Equal(rows, rowsAgain);
        var pairedBoth = File.ReadAllLines(Path.Combine(output, DemoRunner.PairedFile)).Skip(1).ToList();
        Assert.Equal(12, pairedBoth.Count);
        Assert.Equal(6, pairedBoth.Count(l => l.StartsWith("contexts.training=bad,contexts.training=neutral,")));
        Assert.All(resultsAgain, r => Assert.Equal(stamps[r.OutputDirectory], File.GetLastWriteTimeUtc(Path.Combine(r.OutputDirectory, "metrics.csv"))));
    }
}
