using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Store;

namespace Recontext.Runs.Tests;

/// <summary>A quick end-to-end run on a tiny, briefly trained base (built by the test itself).</summary>
public sealed class RunLoopTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-run-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);


    RunConfig Tiny(string preset) => new()
    {
        Name = preset,
        Seed = 3,
        Base = TinyRuns.Base,
        Recontextualization = RecontextPolicy.FromPreset(preset),
        Steps = 2,
        PromptsPerStep = 2,
        SamplesPerPrompt = 2,
        MaxNewTokens = 24,
        EvalEvery = 2,
        EvalTasks = 3,
    };

    [Fact]
    public async Task QuickRunWritesMetricsEvaluationsAndPlots()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        Assert.Equal(baseDir, ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache")));   // cached the second time

        var output = Path.Combine(root, "good-to-bad");
        var result = await new RunLoop(Tiny("good->bad"), baseDir, output).RunAsync();

        Assert.Equal([1, 2], result.Steps.Select(s => s.Step));
        Assert.All(result.Steps, s => Assert.Equal(1.0, s.RecontextualizedFraction));
        Assert.Equal([0, 0, 0, 2, 2, 2], result.Evaluations.Select(e => e.Step));
        Assert.Equal(["neutral", "good", "bad"], result.Final.Select(e => e.Rates.Context));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "metrics.csv")).Length);        // header + 2 steps
        Assert.Equal(7, File.ReadAllLines(Path.Combine(output, "evaluations.csv")).Length);    // header + 2 × 3 contexts

        var plots = RunReport.Write(result);
        Assert.Equal(3, plots.Count);
        foreach (var png in plots)
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
        Assert.Contains("| neutral | 2 |", File.ReadAllText(Path.Combine(output, "summary.md")));
    }

    [Fact]
    public async Task EveryRolloutIsStoredWithBothContextsScoresAndPolicyVersion()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var output = Path.Combine(root, "stored");
        var loop = new RunLoop(Tiny("good->bad"), baseDir, output);
        await loop.RunAsync();
        using var store = new LiteDbRunStore(Path.Combine(output, RunLoop.TracesFile));
        var rollouts = store.Rollouts(loop.RunId);
        Assert.Equal(2 * 2 * 2, rollouts.Count);                               // steps × prompts × samples
        Assert.Equal([0, 1], rollouts.Select(r => r.PolicyVersion).Distinct());
        Assert.All(rollouts, r =>
        {
            Assert.Equal(("good", "bad"), (r.GenerationContext, r.TrainingContext));
            Assert.NotEqual(r.GenerationPromptIds, r.TrainingPromptIds);
            Assert.NotEmpty(r.CompletionIds);
            Assert.InRange(r.TrainReward, 0, 1);
            Assert.True(r.LogpGenSum <= 0);
        });
        var run = store.FindRun(loop.RunId)!;
        Assert.Equal((RunStatus.Completed, 2), (run.Status, run.CompletedStep));
    }

    [Fact]
    public async Task ResumeReproducesTheUninterruptedRun()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var config = Tiny("neutral->bad") with { Steps = 3, EvalEvery = 1, Recontextualization = RecontextPolicy.FromPreset("neutral->bad") with { Mode = RecontextMode.Fraction, Fraction = 0.5 } };
        var whole = await new RunLoop(config, baseDir, Path.Combine(root, "whole")).RunAsync();

        // Stop after step 2 (as a killed process would), then resume in a fresh loop.
        var stoppedDir = Path.Combine(root, "stopped");
        using (var stop = new CancellationTokenSource())
        {
            var progress = new SynchronousProgress(p => { if (p.Step == 3) stop.Cancel(); });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new RunLoop(config, baseDir, stoppedDir).RunAsync(progress, stop.Token));
        }
        Assert.Equal(2, RunState.CompletedStep(stoppedDir));
        var resumed = await new RunLoop(config, baseDir, stoppedDir).RunAsync(resume: true);

        // Same metrics as written to disk (the columns before the timings), step by step; same evaluations.
        static IEnumerable<string> Metrics(string dir) => File.ReadLines(Path.Combine(dir, "metrics.csv")).Select(l => string.Join(",", l.Split(',')[..10]));
        Assert.Equal(Metrics(Path.Combine(root, "whole")), Metrics(stoppedDir));
        Assert.Equal(4, Metrics(stoppedDir).Count());
        Assert.Equal(whole.Steps[^1] with { GenerateSeconds = 0, JudgeSeconds = 0, RecontextSeconds = 0, TrainSeconds = 0, OverheadSeconds = 0 },
            resumed.Steps[^1] with { GenerateSeconds = 0, JudgeSeconds = 0, RecontextSeconds = 0, TrainSeconds = 0, OverheadSeconds = 0 });
        Assert.Equal(File.ReadLines(Path.Combine(root, "whole", "evaluations.csv")), File.ReadLines(Path.Combine(stoppedDir, "evaluations.csv")));
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool, too late to stop a step).</summary>
    sealed class SynchronousProgress(Action<RunLoop.Progress> report) : IProgress<RunLoop.Progress>
    {
        public void Report(RunLoop.Progress value) => report(value);
    }

    [Fact]
    public async Task PerfectLabelsKeepsNoHackAndReportsEachPipeline()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var outcomes = await new Demo.PerfectLabelsRunner(baseDir, quick: true, tasks: 3, evalTasks: 4).RunAsync();
        Assert.Equal(Demo.PerfectLabelsRunner.Pipelines, outcomes.Select(o => o.Pipeline));
        Assert.All(outcomes, o =>
        {
            Assert.Equal(0, o.TrainingSet.Hacks);
            Assert.InRange(o.TrainingSet.Samples, 0, 3);
            Assert.Equal(4, o.After.Samples);
            Assert.Equal(o.Before, outcomes[0].Before);
        });
        // The hidden-loophole pipelines sample the same pool (same prompts, base and sampling seed) and pick from it by
        // different rules: preferring reasoning without tests keeps as many samples and never more that mention tests.
        var plain = outcomes.Single(o => o.Pipeline.Name == "bad, loophole hidden -> filter -> SFT under neutral").TrainingSet;
        var quiet = outcomes.Single(o => o.Pipeline.Selection == Demo.PerfectLabelsSelection.QuietReasoningFirst).TrainingSet;
        Assert.Equal(plain.Samples, quiet.Samples);
        var half = outcomes.Single(o => o.Pipeline.Selection == Demo.PerfectLabelsSelection.QuietReasoningFirstOnHalf).TrainingSet;
        Assert.Equal(plain.Samples, half.Samples);
        Assert.True(quiet.MentionsTests <= half.MentionsTests && half.MentionsTests <= plain.MentionsTests,
            $"test-mentioning samples kept: quiet rule {quiet.MentionsTests:P0}, on half the tasks {half.MentionsTests:P0}, plain {plain.MentionsTests:P0}");
    }

    [Fact]
    public async Task EveryVariantOfASeedStartsFromTheBaseEvaluation()
    {
        // The demo evaluates the base once per seed and reuses that as each variant's step 0: prove they are equal.
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var base0 = await new RunLoop(Tiny("neutral->neutral") with { Steps = 0 }, baseDir, Path.Combine(root, "base")).RunAsync();
        var variant = await new RunLoop(Tiny("good->bad") with { Steps = 1, EvalEvery = 1 }, baseDir, Path.Combine(root, "variant")).RunAsync();
        Assert.Equal(base0.Evaluations, variant.Evaluations.Where(e => e.Step == 0));
    }

    [Fact]
    public async Task StandardRunTrainsUnderTheGenerationContext()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var result = await new RunLoop(Tiny("neutral->neutral"), baseDir, Path.Combine(root, "standard")).RunAsync();
        Assert.All(result.Steps, s => Assert.Equal(0.0, s.RecontextualizedFraction));
        Assert.All(result.Steps, s => Assert.Equal(0f, s.ContextGap, 4));
    }
}
