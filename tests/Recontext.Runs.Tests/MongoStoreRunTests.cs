using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Store;
using Recontext.TestSupport;

namespace Recontext.Runs.Tests;

[CollectionDefinition(Name)]
public sealed class MongoCollection : ICollectionFixture<MongoTestServer>
{
    public const string Name = "mongo";
}

/// <summary>A run that writes its traces to MongoDB (the services' store) instead of the embedded file.</summary>
[Collection(MongoCollection.Name)]
public sealed class MongoStoreRunTests(MongoTestServer server) : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-mongo-run-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);


    [Fact]
    public async Task EveryRolloutOfTwoRunsOfOneExperimentLandsInMongoUnderItsOwnRunId()
    {
        var url = server.NewDatabaseUrl();
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var config = new RunConfig
        {
            Name = "good->bad", Seed = 2, Base = TinyRuns.Base, Recontextualization = RecontextPolicy.FromPreset("good->bad"),
            Steps = 2, PromptsPerStep = 2, SamplesPerPrompt = 2, MaxNewTokens = 16, EvalEvery = 2, EvalTasks = 2,
        };
        var first = new RunLoop(config, baseDir, Path.Combine(root, "first"), deployment: new RunDeployment(StoreUrl: url));
        var second = new RunLoop(config, baseDir, Path.Combine(root, "second"), deployment: new RunDeployment(StoreUrl: url));
        await first.RunAsync();
        await second.RunAsync();

        Assert.NotEqual(first.RunId, second.RunId);
        Assert.StartsWith("good->bad/seed-2/", first.RunId);
        Assert.False(File.Exists(Path.Combine(root, "first", RunLoop.TracesFile)));   // nothing went to the embedded store
        using var store = new MongoRunStore(url);
        foreach (var loop in new[] { first, second })
        {
            var rollouts = store.Rollouts(loop.RunId);
            Assert.Equal(2 * 2 * 2, rollouts.Count);
            Assert.All(rollouts, r => Assert.Equal(("good", "bad", true), (r.GenerationContext, r.TrainingContext, r.Recontextualized)));
            Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1], rollouts.Select(r => r.PolicyVersion));
            var run = store.FindRun(loop.RunId);
            Assert.Equal((RunStatus.Completed, 2), (run!.Status, run.CompletedStep));
        }
        // Resuming reads the run id back from the results folder: the same traces, not a third run.
        Assert.Equal(first.RunId, new RunLoop(config, baseDir, Path.Combine(root, "first"), deployment: new RunDeployment(StoreUrl: url)).RunId);
    }
}
