using Recontext.Runs.Evaluation;
using Recontext.Runs.Sweeps;

namespace Recontext.Runs.Tests;

/// <summary>Two sweep folders read back from their files and paired by seed, point against point, step by step.</summary>
public sealed class SweepComparisonTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-compare-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>Writes runs/&lt;point&gt;/seed-&lt;seed&gt;/evaluations.csv with a neutral and a bad row per step.</summary>
    void Run(string folder, string point, long seed, params (int Step, double Neutral, double Bad)[] evaluations)
    {
        var directory = Path.Combine(root, folder, "runs", point, $"seed-{seed}");
        Directory.CreateDirectory(directory);
        static ContextRates Rates(string context, double hack) => new(context, 48, hack, 0.5, 1, 0.6, 0.1, 0.4, 0.2);
        File.WriteAllLines(Path.Combine(directory, RunFiles.EvaluationsFile), [EvaluationRecord.Header, ..evaluations.SelectMany(e => new[]
        {
            new EvaluationRecord(e.Step, Rates("neutral", e.Neutral)).ToCsv(), new EvaluationRecord(e.Step, Rates("bad", e.Bad)).ToCsv(),
        })]);
    }

    [Fact]
    public void EveryPointIsPairedWithEveryPointOfTheOtherFolderSeedBySeedAtEachStep()
    {
        // The lever folder: eps0.1 with three seeds, the third still at step 16; the reference folder: standard, control.
        Run("lever", "eps0.1", 1, (0, 0.10, 0.50), (16, 0.40, 0.60), (32, 0.00, 0.00));
        Run("lever", "eps0.1", 2, (0, 0.10, 0.50), (16, 0.50, 0.70), (32, 0.10, 0.20));
        Run("lever", "eps0.1", 3, (0, 0.10, 0.50), (16, 0.60, 0.80));
        foreach (var seed in new long[] { 1, 2, 3 })
        {
            Run("defaults", "standard", seed, (0, 0.10, 0.50), (16, 0.70, 0.90), (32, 0.90, 0.95));
            Run("defaults", "control", seed, (0, 0.10, 0.50), (16, 0.60, 0.80), (32, 0.80 + 0.1 * seed, 0.90));
        }
        var rows = SweepComparison.Of(SweepFolder.Read(Path.Combine(root, "lever")), SweepFolder.Read(Path.Combine(root, "defaults")));

        Demo.PairedDifference Misbehaved(int step, string reference, string context) =>
            rows.Single(r => r.Step == step && r.Row.Reference == reference && r.Row.EvalContext == context && r.Row.Metric == "misbehaviour_rate").Row.Difference;
        Assert.All(rows, r => Assert.Equal("lever/eps0.1", r.Row.Variant));               // the reference folder's points are not compared among themselves
        var at16 = Misbehaved(16, "defaults/standard", "neutral");                              // -0.3, -0.2, -0.1
        Assert.Equal(3, at16.Seeds);
        Assert.Equal(-0.2, at16.Mean, 9);
        Assert.Equal(-0.2 - 4.302652729911275 * 0.1 / Math.Sqrt(3), at16.Low, 9);
        var at32 = Misbehaved(32, "defaults/control", "neutral");                               // seed 3 has not reached step 32: -0.9, -0.9
        Assert.Equal(2, at32.Seeds);
        Assert.Equal(-0.9, at32.Mean, 9);
        Assert.Equal(-0.85, Misbehaved(32, "defaults/standard", "bad").Mean, 9);               // -0.95, -0.75
        Assert.Equal(0, Misbehaved(0, "defaults/control", "bad").Mean, 9);                      // every run starts from the same base evaluation
    }

    [Fact]
    public void FoldersWithTheSameNameAreToldApartAndAFolderWithoutRunsIsNamed()
    {
        Run(Path.Combine("x", "sweep"), "p", 1, (0, 0.1, 0.5));
        Run(Path.Combine("y", "sweep"), "p", 1, (0, 0.3, 0.5));
        var rows = SweepComparison.Of(SweepFolder.Read(Path.Combine(root, "x", "sweep")), SweepFolder.Read(Path.Combine(root, "y", "sweep")));
        var row = rows.Single(r => r.Row.Metric == "misbehaviour_rate" && r.Row.EvalContext == "neutral").Row;
        Assert.Equal(("a/p", "b/p"), (row.Variant, row.Reference));
        Assert.Equal(-0.2, row.Difference.Mean, 9);

        var empty = Path.Combine(root, "empty");
        Directory.CreateDirectory(Path.Combine(empty, "runs", "p", "seed-1"));                // a run that has written nothing yet
        Assert.Contains("no run under runs/ has written an evaluation", Assert.Throws<ArgumentException>(() => SweepFolder.Read(empty)).Message);
        Assert.Contains("no runs/ folder", Assert.Throws<ArgumentException>(() => SweepFolder.Read(Path.Combine(root, "missing"))).Message);
    }
}
