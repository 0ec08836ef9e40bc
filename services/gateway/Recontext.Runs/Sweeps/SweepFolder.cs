namespace Recontext.Runs.Sweeps;

/// <summary>
/// The runs a sweep (or demo) folder holds, read back from its files: <c>runs/&lt;point&gt;/seed-&lt;n&gt;/evaluations.csv</c>.
/// A point is named by its folder (the sanitized point name). A run still going is read as far as it got, so a
/// comparison can be made while a sweep runs; its missing steps leave that seed out of those steps' pairs.
/// </summary>
public sealed record SweepFolder(string Directory, string Label, IReadOnlyList<SweepFolder.Run> Runs)
{
    public sealed record Run(string Point, long Seed, IReadOnlyList<EvaluationRecord> Evaluations);

    public IReadOnlyList<string> Points => Runs.Select(r => r.Point).Distinct().ToList();

    /// <exception cref="ArgumentException">the folder holds no run with an evaluation</exception>
    public static SweepFolder Read(string directory, string? label = null)
    {
        var runsDirectory = Path.Combine(directory, "runs");
        if (!System.IO.Directory.Exists(runsDirectory))
            throw new ArgumentException($"{directory}: no runs/ folder; a sweep or demo folder holds runs/<point>/seed-<n>/{RunFiles.EvaluationsFile}");
        var runs = new List<Run>();
        foreach (var pointDirectory in System.IO.Directory.GetDirectories(runsDirectory).Order(StringComparer.Ordinal))
            foreach (var seedDirectory in System.IO.Directory.GetDirectories(pointDirectory, "seed-*"))
            {
                if (!long.TryParse(Path.GetFileName(seedDirectory)["seed-".Length..], out var seed)) continue;
                var evaluations = RunFiles.Read(seedDirectory).Evaluations;
                if (evaluations.Count > 0) runs.Add(new Run(Path.GetFileName(pointDirectory), seed, evaluations));
            }
        if (runs.Count == 0) throw new ArgumentException($"{directory}: no run under runs/ has written an evaluation yet");
        return new SweepFolder(directory, label ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))), runs.OrderBy(r => r.Point, StringComparer.Ordinal).ThenBy(r => r.Seed).ToList());
    }
}
