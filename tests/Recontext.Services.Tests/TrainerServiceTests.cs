using Recontext.Contracts;
using Recontext.Generator.Host;
using Recontext.Judge.Host;
using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Recontextualizer.Host;
using Recontext.Runs;
using Recontext.TestSupport;
using Recontext.Trainer.Host;

namespace Recontext.Services.Tests;

/// <summary>
/// Every role as a service of its own, each host on its own bus: the trainer holds the policy and serves its versions
/// over gRPC, the generator fetches them, the judge and the recontextualizer work from their messages alone, and the
/// run's process only coordinates. The run must equal the one-process run.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class TrainerServiceTests : IDisposable
{
    readonly RabbitMqTestBroker broker = new();
    readonly string root = Directory.CreateTempSubdirectory("recontext-trainer-service-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task ARunWithEveryRoleAsAServiceEqualsTheOneProcessRun()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var config = new RunConfig
        {
            Name = "good->bad", Seed = 5, Base = TinyRuns.Base, Recontextualization = RecontextPolicy.FromPreset("good->bad"),
            Grpo = new() { Beta = 0.05 },   // a KL reference too, held by the trainer
            Steps = 3, PromptsPerStep = 2, SamplesPerPrompt = 3, MaxNewTokens = 16, EvalEvery = 2, EvalTasks = 2,
        };
        var oneProcess = await new RunLoop(config, baseDir, Path.Combine(root, "one-process")).RunAsync();

        var state = Path.Combine(root, "trainer-state");
        await using var trainer = await ServiceHost.StartAsync(TrainerHost.Build, broker.Url, "--state", state, "--weights-url", "http://127.0.0.1:0");
        await using var generator = await ServiceHost.StartAsync(GeneratorHost.Build, broker.Url);
        await using var judge = await ServiceHost.StartAsync(JudgeHost.Build, broker.Url);
        await using var recontextualizer = await ServiceHost.StartAsync(RecontextualizerHost.Build, broker.Url);
        double updatesBefore = await trainer.CounterAsync("recontext_trainer_updates_total");
        var remote = new RunDeployment(BusUrl: broker.Url,
            RemoteRoles: new HashSet<string> { ServiceRoles.Generator, ServiceRoles.Judge, ServiceRoles.Recontextualizer, ServiceRoles.Trainer });
        remote.Check();
        var services = Path.Combine(root, "services");
        var withServices = await new RunLoop(config, baseDir, services, deployment: remote).RunAsync();

        static object Comparable(StepRecord s) => s with { GenerateSeconds = 0, JudgeSeconds = 0, RecontextSeconds = 0, TrainSeconds = 0, OverheadSeconds = 0 };
        Assert.Equal(oneProcess.Steps.Select(Comparable), withServices.Steps.Select(Comparable));
        Assert.Equal(oneProcess.Evaluations, withServices.Evaluations);
        Assert.Equal(3, await trainer.CounterAsync("recontext_trainer_updates_total") - updatesBefore);
        // The versions live with the trainer (the newest two), not in the run's results folder.
        Assert.False(Directory.Exists(RunState.VersionsDirectory(services)));
        var held = Directory.GetDirectories(Directory.GetDirectories(state).Single()).Select(Path.GetFileName).Order();
        Assert.Equal(["v2", "v3"], held);
    }
}
