using Recontext.Organism;
using Recontext.Runs.Demo;

namespace Recontext.Runs.Tests;

/// <summary>The demo's scheduling on a tiny base: every arm, the base first, side by side, read back when rerun.</summary>
public sealed class DemoRunnerTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-demo-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);


    DemoOptions Options() => new()
    {
        Seeds = 1,
        FirstSeed = 4,
        OutputDirectory = Path.Combine(root, "demo"),
        Shared = new RunConfig { Steps = 1, PromptsPerStep = 2, SamplesPerPrompt = 2, MaxNewTokens = 16, EvalEvery = 1, EvalTasks = 2 },
    };

    /// <summary>Counts how many arms run at once and in what order they start and end.</summary>
    sealed class Watching(IDemoArmExecutor inner) : IDemoArmExecutor
    {
        int running;
        public int MaxRunning;
        public readonly List<string> Events = [];

        public async Task RunAsync(DemoArm arm, IProgress<RunLoop.Progress>? progress, CancellationToken cancellation)
        {
            lock (Events) Events.Add($"start {arm.Variant.Name}");
            int now = Interlocked.Increment(ref running);
            lock (Events) MaxRunning = Math.Max(MaxRunning, now);
            await Task.Delay(100, cancellation);    // long enough for the other workers to start theirs
            await inner.RunAsync(arm, progress, cancellation);
            Interlocked.Decrement(ref running);
            lock (Events) Events.Add($"end {arm.Variant.Name}");
        }
    }

    [Fact]
    public async Task ASyncophancyDemoRunsEveryVariantAndItsRowsNameTheSettingAndHeldOutContexts()
    {
        var baseModel = TinyRuns.Base with { Setting = Environments.Sycophancy.SycophancyEnvironment.EnvironmentName };
        var baseDir = ToyBaseModel.TrainOrLoad(baseModel, Path.Combine(root, "cache"));
        Assert.Contains("base-sycophancy-", baseDir);   // its own base, apart from toy-code's
        string[] contexts = ["neutral", "bad", Recontextualizer.ContextSpec.BadHeldOut];
        var options = Options() with
        {
            Setting = Environments.Sycophancy.SycophancyEnvironment.EnvironmentName,
            Shared = Options().Shared! with { EvalContexts = [.. contexts.Select(c => Recontextualizer.ContextSpec.Of(c))] },
        };
        var runner = new DemoRunner(options, baseDir, baseModel);
        Assert.Contains(runner.Variants, v => v.Name == "environment");   // the setting has a loophole to hide

        var (rows, results) = await runner.RunAsync(new InProcessArmExecutor(runner), workers: 2);

        Assert.All(results, r => Assert.Equal("sycophancy", r.Config.Environment));
        var csv = File.ReadAllLines(Path.Combine(root, "demo", "demo.csv"));
        Assert.StartsWith("setting,variant,eval_context,misbehaviour_rate_mean,", csv[0]);
        Assert.Equal(runner.Variants.Count * contexts.Length, csv.Length - 1);
        Assert.All(csv.Skip(1), line => Assert.StartsWith("sycophancy,", line));
        Assert.Contains(csv, line => line.StartsWith("sycophancy,environment,bad-heldout,", StringComparison.Ordinal));
        var environment = results.Single(r => r.Config.Name == "environment").Config.Recontextualization;
        Assert.Equal((Environments.EnvironmentVariant.NoLoophole, Environments.EnvironmentVariant.Loophole),
            (environment.Generation.Variant, environment.Training.Variant));
    }

    [Fact]
    public async Task RunsEveryArmBaseFirstSideBySideAndReadsFinishedRunsBack()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var runner = new DemoRunner(Options(), baseDir, TinyRuns.Base);
        var executor = new Watching(new InProcessArmExecutor(runner));

        var (rows, results) = await runner.RunAsync(executor, workers: 3);

        Assert.Equal(runner.Variants.Count, results.Count);
        Assert.Equal(3, executor.MaxRunning);
        Assert.Equal("start base", executor.Events[0]);
        Assert.Equal("end base", executor.Events[1]);    // every variant starts from the base's evaluation
        Assert.Equal(runner.Variants.Count * 3, rows.Count);
        Assert.Equal(1 + rows.Count, File.ReadAllLines(Path.Combine(root, "demo", "demo.csv")).Length);
        var baseResult = results.Single(r => r.Config.Name == "base");
        Assert.All(results, r => Assert.Equal(baseResult.Evaluations, r.Evaluations.Where(e => e.Step == 0)));
        Assert.All(results.Where(r => r.Config.Name != "base"), r => Assert.Equal([1], r.Steps.Select(s => s.Step)));

        // Rerun with the same folder: every arm is read back, none runs again.
        var stamps = results.ToDictionary(r => r.OutputDirectory, r => File.GetLastWriteTimeUtc(Path.Combine(r.OutputDirectory, "evaluations.csv")));
        var again = await new DemoRunner(Options(), baseDir, TinyRuns.Base).RunAsync(new InProcessArmExecutor(runner), workers: 1);
        Assert.Equal(rows, again.Rows);
        Assert.All(again.Results, r => Assert.Equal(stamps[r.OutputDirectory], File.GetLastWriteTimeUtc(Path.Combine(r.OutputDirectory, "evaluations.csv"))));
    }

    [Fact]
    public async Task ALargerStepCountExtendsFinishedRunsToWhatAFreshDemoGives()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var shortRun = new DemoRunner(Options() with { Steps = 1 }, baseDir, TinyRuns.Base);
        await shortRun.RunAsync(new InProcessArmExecutor(shortRun), workers: 1);
        var extended = new DemoRunner(Options() with { Steps = 2 }, baseDir, TinyRuns.Base);
        var (extendedRows, extendedResults) = await extended.RunAsync(new InProcessArmExecutor(extended), workers: 1);

        var fresh = new DemoRunner(Options() with { Steps = 2, OutputDirectory = Path.Combine(root, "fresh") }, baseDir, TinyRuns.Base);
        var (freshRows, _) = await fresh.RunAsync(new InProcessArmExecutor(fresh), workers: 1);

        Assert.Equal(freshRows, extendedRows);
        Assert.All(extendedResults.Where(r => r.Config.Name != "base"), r => Assert.Equal([1, 2], r.Steps.Select(s => s.Step)));
    }

    [Fact]
    public void AnArmIsFoundByVariantAndSeedOrNamedInTheError()
    {
        var runner = new DemoRunner(Options(), "unused", TinyRuns.Base);
        Assert.Equal(Path.Combine(root, "demo", "runs", "good-to-bad-recompute", "seed-4"), runner.Arm("good->bad/recompute", 4).Directory);
        var error = Assert.Throws<ArgumentException>(() => runner.Arm("good->bad", 9));
        Assert.Contains("seeds 4..4", error.Message);
    }

    [Fact]
    public void OnlyTheNamedVariantsRunInTheDemosOrder()
    {
        var runner = new DemoRunner(Options() with { VariantNames = ["neutral->bad", "base", "neutral->neutral"] }, "unused", TinyRuns.Base);
        Assert.Equal(["base", "neutral->neutral", "neutral->bad"], runner.Variants.Select(v => v.Name));
        Assert.Equal(3, runner.Arms().Count);
        var error = Assert.Throws<ArgumentException>(() => new DemoRunner(Options() with { VariantNames = ["neutral->good"] }, "unused", TinyRuns.Base));
        Assert.Contains("no variant 'neutral->good'; the demo's variants: base, neutral->neutral", error.Message);
    }
}
