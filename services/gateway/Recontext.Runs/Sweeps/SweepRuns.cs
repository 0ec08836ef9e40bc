using Recontext.Runs.Demo;

namespace Recontext.Runs.Sweeps;

/// <summary>
/// A sweep runs like the demo (worker processes side by side, a crashed worker restarted, a stopped sweep resumed when
/// rerun into the same folder), with each point as a variant: sweep.csv holds mean ± standard error per point and
/// eval context, paired.csv each point's seed-by-seed difference from each reference point (sweep.references; by
/// default the first point) at the last evaluation, paired-steps.csv the same at every evaluation step, plots the
/// curves per point and the paired differences with their 95 % bands.
/// </summary>
public static class SweepRuns
{
    public const string Table = "sweep.csv";

    /// <summary>The sweep file as the sweep's folder keeps it (what its workers and a resumed sweep read).</summary>
    public const string FileName = "sweep.yaml";

    public static DemoRunner Runner(SweepFile sweep, string outputDirectory, string baseDirectory, RunDeployment deployment)
    {
        var variants = sweep.Points.Select(p => new DemoVariant(p.Name, p.Name, _ => p.Config)).ToList();
        var options = new DemoOptions { OutputDirectory = outputDirectory, SeedList = sweep.Seeds, Seeds = sweep.Seeds.Count, Deployment = deployment };
        return new DemoRunner(options, baseDirectory, sweep.Points[0].Config.Base, variants, Table, sweep.References);
    }
}
