using Recontext.Organism;

namespace Recontext.Runs.Demo;

/// <summary>Runs every demo variant for every seed from the same base and aggregates the final evaluations.</summary>
public sealed class DemoRunner(DemoOptions options, string baseDirectory, BaseModelOptions baseModel)
{
    public sealed record Progress(string Variant, long Seed, int RunIndex, int Runs, RunLoop.Progress? Step);

    public IReadOnlyList<DemoVariant> Variants { get; } = DemoVariant.All(options.StrongKl);

    public async Task<(IReadOnlyList<DemoRow> Rows, IReadOnlyList<RunResult> Results)> RunAsync(IProgress<Progress>? progress = null, CancellationToken cancellation = default)
    {
        var shared = options.BaseConfig(baseModel);
        var results = new List<(DemoVariant Variant, RunResult Result)>();
        int runs = Variants.Count * options.Seeds, index = 0;
        foreach (var variant in Variants)
            for (int k = 0; k < options.Seeds; k++)
            {
                long seed = options.FirstSeed + k;
                var config = (variant.Configure?.Invoke(shared) ?? shared with { Steps = 0 }) with { Name = variant.Name, Seed = seed };
                var directory = Path.Combine(options.OutputDirectory, "runs", Sanitize(variant.Name), $"seed-{seed}");
                var stepProgress = new Progress<RunLoop.Progress>(p => progress?.Report(new Progress(variant.Name, seed, index, runs, p)));
                progress?.Report(new Progress(variant.Name, seed, index, runs, null));
                // A demo stopped half-way continues where it was: finished runs are read back, a stopped one resumes.
                // Every variant of a seed starts from the base's weights, eval tasks and eval seed: reuse its evaluation.
                var initial = results.FirstOrDefault(r => r.Variant.IsBase && r.Result.Config.Seed == seed).Result?.Evaluations.Where(e => e.Step == 0).Select(e => e.Rates).ToList();
                var result = RunLoop.TryLoadFinished(config, directory)
                             ?? await new RunLoop(config, baseDirectory, directory, initialEvaluation: variant.IsBase ? null : initial)
                                 .RunAsync(stepProgress, cancellation, resume: config.Steps > 0 && RunState.CompletedStep(directory) is not null);
                results.Add((variant, result));
                index++;
            }

        var rows = new List<DemoRow>();
        foreach (var variant in Variants)
        {
            var finals = results.Where(r => r.Variant == variant).Select(r => r.Result.Final).ToList();
            foreach (var context in finals[0].Select(e => e.Rates.Context))
            {
                var rates = finals.Select(f => f.Single(e => e.Rates.Context == context).Rates).ToList();
                var (hack, hackSe) = DemoRow.MeanSe(rates.Select(r => r.HackRate).ToList());
                var (correct, correctSe) = DemoRow.MeanSe(rates.Select(r => r.CorrectRate).ToList());
                rows.Add(new DemoRow(variant.Name, context, hack, hackSe, correct, correctSe, rates.Average(r => r.WellFormedRate),
                    rates.Average(r => r.MeanTrainReward), rates.Count));
            }
        }
        Directory.CreateDirectory(options.OutputDirectory);
        await File.WriteAllLinesAsync(Path.Combine(options.OutputDirectory, "demo.csv"), [DemoRow.Header, .. rows.Select(r => r.ToCsv())], cancellation);
        DemoPlots.Write(results.Select(r => r.Result).ToList(), options.OutputDirectory);
        return (rows, results.Select(r => r.Result).ToList());
    }

    /// <summary>Folder name for a variant ("good->bad/recompute" → "good-to-bad-recompute").</summary>
    public static string Sanitize(string name) => name.Replace("->", "-to-").Replace('/', '-').Replace('+', '-');
}
