using System.Collections.Concurrent;
using MassTransit;
using Recontext.Contracts;
using Recontext.Generator.Host;
using Recontext.Hosting;
using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Runs;
using Recontext.Runs.Bus;
using Recontext.TestSupport;

namespace Recontext.Services.Tests;

/// <summary>
/// Generator replicas competing on the service's one queue share each step chunk by chunk
/// (<c>sampling.groupsPerChunk</c>), and every chunk's sampling is seeded by (run, step, chunk): with 1, 2 or 3
/// replicas the run's metrics and evaluations equal the one-process run's.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class GeneratorReplicaTests : IDisposable
{
    readonly RabbitMqTestBroker broker = new();
    readonly string root = Directory.CreateTempSubdirectory("recontext-generator-replicas-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task OneTwoOrThreeReplicasShareTheStepsAndGiveTheOneProcessResults()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var config = new RunConfig
        {
            Name = "replicas", Seed = 5, Base = TinyRuns.Base, Recontextualization = RecontextPolicy.FromPreset("neutral->bad"),
            Steps = 2, PromptsPerStep = 4, SamplesPerPrompt = 2, MaxNewTokens = 16, GroupsPerChunk = 1, EvalEvery = 2, EvalTasks = 4,
        };
        var oneProcess = await new RunLoop(config, baseDir, Path.Combine(root, "one-process")).RunAsync();
        // Chunks change the draws (a different experiment, like another batch size): the same run sent whole differs.
        var whole = await new RunLoop(config with { GroupsPerChunk = null }, baseDir, Path.Combine(root, "whole")).RunAsync();
        Assert.NotEqual(Completions(oneProcess.OutputDirectory), Completions(whole.OutputDirectory));

        static object Comparable(StepRecord s) => s with { GenerateSeconds = 0, JudgeSeconds = 0, RecontextSeconds = 0, TrainSeconds = 0, OverheadSeconds = 0 };
        var remote = new RunDeployment(BusUrl: broker.Url, RemoteRoles: new HashSet<string> { ServiceRoles.Generator });
        for (int replicas = 1; replicas <= 3; replicas++)
        {
            var generators = new List<ServiceHost>();
            for (int i = 0; i < replicas; i++) generators.Add(await ServiceHost.StartAsync(GeneratorHost.Build, broker.Url));
            try
            {
                await using var bus = await InProcessBus.StartAsync(BusTransport.Parse(broker.Url), remoteRoles: remote.Remote);
                // Which replica drew each chunk of this run, heard on the bus like the coordinator hears it.
                var workers = new ConcurrentBag<string>();
                var runDir = Path.Combine(root, $"replicas-{replicas}");
                var loop = new RunLoop(config, baseDir, runDir, externalBus: bus, deployment: remote);
                var watcher = bus.Bus.ConnectReceiveEndpoint($"replica-watch-{Guid.NewGuid():N}", e =>
                    e.Handler<RolloutsGenerated>(c =>
                    {
                        if (c.Message.RunId == loop.RunId) workers.Add(c.Message.Worker);
                        return Task.CompletedTask;
                    }));
                await watcher.Ready;
                var result = await loop.RunAsync();
                await watcher.StopAsync();

                Assert.Equal(oneProcess.Steps.Select(Comparable), result.Steps.Select(Comparable));
                Assert.Equal(oneProcess.Evaluations, result.Evaluations);
                Assert.Equal(Completions(oneProcess.OutputDirectory), Completions(runDir));
                // Every step is 4 chunks of one group; every evaluation (after steps 0 and 2, 3 contexts) 2 chunks of 2 tasks.
                Assert.Equal(2 * 4 + 2 * 3 * 2, workers.Count);
                Assert.Equal(replicas, workers.Distinct().Count());
            }
            finally
            {
                foreach (var g in generators) await g.DisposeAsync();
            }
        }
    }

    /// <summary>Every rollout's completion text in the run's trace store, in step and index order.</summary>
    static IReadOnlyList<string> Completions(string runDirectory)
    {
        using var store = Recontext.Store.RunStores.Open(null, runDirectory);
        var runId = File.ReadAllText(Path.Combine(runDirectory, RunLoop.RunIdFile)).Trim();
        return store.Rollouts(runId).OrderBy(r => r.Step).ThenBy(r => r.Index).Select(r => r.Text).ToList();
    }
}
