using System.Collections.Concurrent;
using Recontext.Organism;

namespace Recontext.Runs.Demo;

/// <summary>
/// Runs every demo variant for every seed from the same base and aggregates the final evaluations. Arms run through
/// an <see cref="IDemoArmExecutor"/>, up to <c>workers</c> at a time; the base's arms go first, since every variant of a
/// seed starts from the base's step-0 evaluation. A demo stopped half-way continues where it was: finished runs are
/// read back from their folders and a stopped run resumes from its last completed step.
/// </summary>
/// <param name="variants">the arms to run (default: the demo's variants, <see cref="DemoVariant.All"/>); without a base
/// arm every variant evaluates its own step 0</param>
/// <param name="table">the summary table's file name in the output folder</param>
/// <param name="references">the variants the others are compared with, seed by seed, in paired.csv</param>
public sealed class DemoRunner(DemoOptions options, string baseDirectory, BaseModelOptions baseModel, IReadOnlyList<DemoVariant>? variants = null,
    string table = "demo.csv", IReadOnlyList<string>? references = null)
{
    public const string PairedFile = "paired.csv";

    /// <summary>paired.csv's comparisons at every evaluation step (how long a difference lasts).</summary>
    public const string PairedStepsFile = "paired-steps.csv";

    /// <param name="Slot">the worker slot (0 .. workers − 1) the arm runs in</param>
    /// <param name="Finished">arms finished so far, of <paramref name="Runs"/></param>
    /// <param name="Step">the arm's step progress; null when the arm starts (or, with <paramref name="Done"/>, ends)</param>
    public sealed record Progress(int Slot, DemoArm Arm, int Finished, int Runs, RunLoop.Progress? Step, bool Done = false);

    public IReadOnlyList<DemoVariant> Variants { get; } = variants ?? DemoVariant.Of(options, withDetector: options.Detector is not null);

    /// <summary>The variants every other is compared with in paired.csv.</summary>
    public IReadOnlyList<string> References { get; } = references ?? ["neutral->neutral", "neutral->irrelevant"];

    public DemoOptions Options => options;

    /// <summary>Every (variant, seed) of the demo, the base's arms first.</summary>
    public IReadOnlyList<DemoArm> Arms()
    {
        var shared = options.BaseConfig(baseModel);
        return Variants.SelectMany(variant => options.SeedValues.Select(seed =>
        {
            var config = (variant.Configure?.Invoke(shared) ?? shared with { Steps = 0 }) with { Name = variant.Name, Seed = seed };
            return new DemoArm(variant, seed, config, Path.Combine(options.OutputDirectory, "runs", Sanitize(variant.Name), $"seed-{seed}"));
        })).ToList();
    }

    /// <summary>The arm of a variant (by name) and seed, for a worker process handed both on its command line.</summary>
    public DemoArm Arm(string variant, long seed) =>
        Arms().SingleOrDefault(a => a.Variant.Name == variant && a.Seed == seed)
        ?? throw new ArgumentException($"the demo has no arm '{variant}' seed {seed}; variants: {string.Join(", ", Variants.Select(v => v.Name))}, " +
                                       $"seeds {(options.SeedList is null ? $"{options.FirstSeed}..{options.FirstSeed + options.Seeds - 1}" : string.Join(", ", options.SeedList))}");

    /// <summary>Runs (or resumes, or finds finished) one arm in this process.</summary>
    public async Task RunArmHereAsync(DemoArm arm, IProgress<RunLoop.Progress>? progress, CancellationToken cancellation)
    {
        if (RunLoop.TryLoadFinished(arm.Config, arm.Directory) is not null) return;
        IReadOnlyList<Evaluation.ContextRates>? initial = null;
        if (!arm.Variant.IsBase && Variants.Any(v => v.IsBase))
        {
            // Every variant of a seed starts from the base's weights, eval tasks and eval seed: reuse its evaluation.
            var baseArm = Arms().Single(a => a.Variant.IsBase && a.Seed == arm.Seed);
            var baseResult = RunLoop.TryLoadFinished(baseArm.Config, baseArm.Directory)
                             ?? throw new InvalidOperationException($"{arm.Label} needs the base's evaluation at seed {arm.Seed} in {baseArm.Directory}; run the base's arm first");
            initial = baseResult.Evaluations.Where(e => e.Step == 0).Select(e => e.Rates).ToList();
        }
        bool resume = arm.Config.Steps > 0 && RunState.CompletedStep(arm.Directory) is not null;
        await new RunLoop(arm.Config, baseDirectory, arm.Directory, initialEvaluation: initial, deployment: options.Deployment).RunAsync(progress, cancellation, resume);
    }

    public async Task<(IReadOnlyList<DemoRow> Rows, IReadOnlyList<RunResult> Results)> RunAsync(IDemoArmExecutor executor, int workers,
        IProgress<Progress>? progress = null, CancellationToken cancellation = default)
    {
        if (workers < 1) throw new ArgumentException($"workers must be >= 1, got {workers}");
        var arms = Arms();
        int finished = 0;
        var freeSlots = new ConcurrentQueue<int>(Enumerable.Range(0, workers));

        async ValueTask RunOne(DemoArm arm, CancellationToken token)
        {
            freeSlots.TryDequeue(out int slot);
            try
            {
                progress?.Report(new Progress(slot, arm, Volatile.Read(ref finished), arms.Count, null));
                await executor.RunAsync(arm, new Progress<RunLoop.Progress>(p => progress?.Report(new Progress(slot, arm, Volatile.Read(ref finished), arms.Count, p))), token);
                progress?.Report(new Progress(slot, arm, Interlocked.Increment(ref finished), arms.Count, null, Done: true));
            }
            finally
            {
                freeSlots.Enqueue(slot);
            }
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellation };
        await Parallel.ForEachAsync(arms.Where(a => a.Variant.IsBase), parallel, RunOne);
        await Parallel.ForEachAsync(arms.Where(a => !a.Variant.IsBase), parallel, RunOne);

        var results = arms.Select(a => (a.Variant, Result: RunLoop.TryLoadFinished(a.Config, a.Directory)
                                                           ?? throw new InvalidOperationException($"{a.Label}: the run reported success but {a.Directory} holds no finished run"))).ToList();
        var rows = new List<DemoRow>();
        foreach (var variant in Variants)
        {
            var finals = results.Where(r => r.Variant == variant).Select(r => r.Result.Final).ToList();
            foreach (var context in finals[0].Select(e => e.Rates.Context))
            {
                var rates = finals.Select(f => f.Single(e => e.Rates.Context == context).Rates).ToList();
                var (hack, hackSe) = DemoRow.MeanSe(rates.Select(r => r.MisbehaviourRate).ToList());
                var (correct, correctSe) = DemoRow.MeanSe(rates.Select(r => r.CorrectRate).ToList());
                double? Mean(Func<Evaluation.ContextRates, double?> f) => rates.All(r => f(r) is not null) ? rates.Average(r => f(r)!.Value) : null;
                rows.Add(new DemoRow(options.Setting, variant.Name, context, hack, hackSe, correct, correctSe, rates.Average(r => r.WellFormedRate),
                    rates.Average(r => r.MeanTrainReward), rates.Count, Mean(r => r.DetectedRate), Mean(r => r.EvasionRate)));
            }
        }
        Directory.CreateDirectory(options.OutputDirectory);
        await File.WriteAllLinesAsync(Path.Combine(options.OutputDirectory, table), [DemoRow.Header, .. rows.Select(r => r.ToCsv())], cancellation);
        var paired = PairedRow.Of(arms.Zip(results, (a, r) => (a.Variant.Name, a.Seed, r.Result.Final)).ToList(), References);
        await File.WriteAllLinesAsync(Path.Combine(options.OutputDirectory, PairedFile), [PairedRow.Header, .. paired.Select(r => r.ToCsv())], cancellation);
        var pairedSteps = PairedRow.AtEachStep(arms.Zip(results, (a, r) => (a.Variant.Name, a.Seed, r.Result.Evaluations)).ToList(), References);
        await File.WriteAllLinesAsync(Path.Combine(options.OutputDirectory, PairedStepsFile),
            [PairedRow.StepsHeader, .. pairedSteps.Select(r => $"{r.Step},{r.Row.ToCsv()}")], cancellation);
        DemoPlots.Write(results.Select(r => r.Result).ToList(), options.OutputDirectory);
        DemoPlots.WritePaired(pairedSteps, options.OutputDirectory);
        return (rows, results.Select(r => r.Result).ToList());
    }

    /// <summary>Folder name for a variant ("good->bad/recompute" → "good-to-bad-recompute"; a sweep's "grpo.beta=0.05, contexts.training=bad" → "grpo.beta-0.05--contexts.training-bad")</summary>
    public static string Sanitize(string name) =>
        string.Concat(name.Replace("->", "-to-").Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-'));
}
