using Recontext.Organism;
using Recontext.Recontextualizer;

namespace Recontext.Runs.Tests;

/// <summary>A quick end-to-end run on a tiny, briefly trained base (built by the test itself).</summary>
public sealed class RunLoopTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-run-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static readonly BaseModelOptions TinyBase = new() { DModel = 32, Layers = 1, Steps = 3, BatchSize = 4 };

    RunConfig Tiny(string preset) => new()
    {
        Name = preset,
        Seed = 3,
        Base = TinyBase,
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
        var baseDir = ToyBaseModel.TrainOrLoad(TinyBase, Path.Combine(root, "cache"));
        Assert.Equal(baseDir, ToyBaseModel.TrainOrLoad(TinyBase, Path.Combine(root, "cache")));   // cached the second time

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
    public async Task StandardRunTrainsUnderTheGenerationContext()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyBase, Path.Combine(root, "cache"));
        var result = await new RunLoop(Tiny("neutral->neutral"), baseDir, Path.Combine(root, "standard")).RunAsync();
        Assert.All(result.Steps, s => Assert.Equal(0.0, s.RecontextualizedFraction));
        Assert.All(result.Steps, s => Assert.Equal(0f, s.ContextGap, 4));
    }
}
