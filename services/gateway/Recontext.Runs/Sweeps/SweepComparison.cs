using Recontext.Runs.Demo;

namespace Recontext.Runs.Sweeps;

/// <summary>
/// Every point of one sweep folder against every point of another, paired by seed at every evaluation step both
/// reached. Sweeps that share the base, seeds and task settings (one lever moved, say) share each seed's base, task
/// stream and evaluation tasks, so the per-seed difference removes what the seeds share, as inside one folder.
/// Points are named "folder/point" (the folders' last path segments; "a/…" and "b/…" when those are equal).
/// </summary>
public static class SweepComparison
{
    public const string DefaultFile = "compare.csv";

    /// <summary>The rows of the comparison: variant = a point of <paramref name="folder"/>, reference = a point of
    /// <paramref name="against"/>.</summary>
    public static IReadOnlyList<(int Step, PairedRow Row)> Of(SweepFolder folder, SweepFolder against)
    {
        var (left, right) = folder.Label == against.Label ? ("a", "b") : (folder.Label, against.Label);
        var runs = folder.Runs.Select(r => ($"{left}/{r.Point}", r.Seed, r.Evaluations))
            .Concat(against.Runs.Select(r => ($"{right}/{r.Point}", r.Seed, r.Evaluations))).ToList();
        var variants = folder.Points.Select(p => $"{left}/{p}").ToHashSet();
        return PairedRow.AtEachStep(runs, against.Points.Select(p => $"{right}/{p}").ToList())
            .Where(r => variants.Contains(r.Row.Variant))
            .ToList();
    }

    /// <summary>Writes the rows as paired-steps.csv is written (a step column, then paired.csv's columns).</summary>
    public static void Write(string path, IReadOnlyList<(int Step, PairedRow Row)> rows)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory) System.IO.Directory.CreateDirectory(directory);
        File.WriteAllLines(path, [PairedRow.StepsHeader, .. rows.Select(r => $"{r.Step},{r.Row.ToCsv()}")]);
    }
}
