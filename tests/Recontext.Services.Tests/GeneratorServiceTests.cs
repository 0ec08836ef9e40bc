using Recontext.Contracts;
using Recontext.Generator.Host;
using Recontext.Judge.Host;
using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Recontextualizer.Host;
using Recontext.Runs;
using Recontext.TestSupport;

namespace Recontext.Services.Tests;

/// <summary>
/// The generator as a service of its own: it samples with policy versions fetched over gRPC from the run
/// (PolicyWeights), while the judge and the recontextualizer are services too, each on its own bus (so no role can
/// read another's memory), and the run keeps the trainer's role.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class GeneratorServiceTests : IDisposable
{
    readonly RabbitMqTestBroker broker = new();
    readonly string root = Directory.CreateTempSubdirectory("recontext-generator-service-").FullName;


    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task ARunWithGeneratorJudgeAndRecontextualizerServicesEqualsTheOneProcessRun()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var config = new RunConfig
        {
            Name = "neutral->bad", Seed = 9, Base = TinyRuns.Base, Recontextualization = RecontextPolicy.FromPreset("neutral->bad"),
            Steps = 3, PromptsPerStep = 2, SamplesPerPrompt = 3, MaxNewTokens = 16, EvalEvery = 3, EvalTasks = 2,
        };
        var oneProcess = await new RunLoop(config, baseDir, Path.Combine(root, "one-process")).RunAsync();

        await using var generator = await ServiceHost.StartAsync(GeneratorHost.Build, broker.Url);
        await using var judge = await ServiceHost.StartAsync(JudgeHost.Build, broker.Url);
        await using var recontextualizer = await ServiceHost.StartAsync(RecontextualizerHost.Build, broker.Url);
        double samplesBefore = await recontextualizer.CounterAsync("recontext_recontextualizer_samples_total");
        double fetchesBefore = await generator.CounterAsync("recontext_generator_weight_fetches_total");
        double rolloutsBefore = await generator.CounterAsync("recontext_generator_rollouts_total");
        var remote = new RunDeployment(BusUrl: broker.Url, RemoteRoles: new HashSet<string> { ServiceRoles.Generator, ServiceRoles.Judge, ServiceRoles.Recontextualizer });
        var withServices = await new RunLoop(config, baseDir, Path.Combine(root, "services"), deployment: remote).RunAsync();

        static object Comparable(StepRecord s) => s with { GenerateSeconds = 0, JudgeSeconds = 0, RecontextSeconds = 0, TrainSeconds = 0, OverheadSeconds = 0 };
        Assert.Equal(oneProcess.Steps.Select(Comparable), withServices.Steps.Select(Comparable));
        Assert.Equal(oneProcess.Evaluations, withServices.Evaluations);
        // One fetch per policy version sampled: 0, 1, 2 by the steps (0 also by the first evaluation), 3 by the last
        // evaluation; every rollout sampled by the service: 3 steps × 2 prompts × 3 samples, and the evaluations after
        // steps 0 and 3 × 3 eval contexts × 2 held-out tasks.
        Assert.Equal(4, await generator.CounterAsync("recontext_generator_weight_fetches_total") - fetchesBefore);
        Assert.Equal(3 * 2 * 3 + 2 * 3 * 2, await generator.CounterAsync("recontext_generator_rollouts_total") - rolloutsBefore);
        Assert.Equal(3 * 2 * 3, await recontextualizer.CounterAsync("recontext_recontextualizer_samples_total") - samplesBefore);
        Assert.All(withServices.Steps, s => Assert.True(s.GenerateSeconds > 0 && s.RecontextSeconds > 0));
    }

    [Fact]
    public void OnlyRolesThatHaveServicesCanBeRemoteAndOnlyOverABroker()
    {
        var coordinator = Assert.Throws<ArgumentException>(() => new RunDeployment(BusUrl: broker.Url, RemoteRoles: new HashSet<string> { "coordinator" }).Check());
        Assert.Contains("remote: 'coordinator' cannot run as a service yet; roles that can: generator, judge, recontextualizer, trainer", coordinator.Message);
        var trainer = Assert.Throws<ArgumentException>(() => new RunDeployment(BusUrl: broker.Url, RemoteRoles: new HashSet<string> { "trainer" }).Check());
        Assert.Contains("a remote trainer needs a remote generator too", trainer.Message);
        var noBus = Assert.Throws<ArgumentException>(() => new RunDeployment(RemoteRoles: new HashSet<string> { "judge" }).Check());
        Assert.Contains("need a RabbitMQ bus", noBus.Message);
    }
}
