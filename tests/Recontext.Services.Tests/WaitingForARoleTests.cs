using Recontext.Contracts;
using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Runs;
using Recontext.TestSupport;

namespace Recontext.Services.Tests;

/// <summary>A run whose judge is a service that is not running says which role it waits for and since when, then
/// fails at the deployment's wait limit naming that role.</summary>
[Collection(ServicesCollection.Name)]
public sealed class WaitingForARoleTests : IDisposable
{
    readonly RabbitMqTestBroker broker = new();
    readonly string root = Directory.CreateTempSubdirectory("recontext-waiting-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task ARunWithoutItsJudgeServiceSaysItWaitsForTheJudgeAndFailsAtTheLimit()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var config = new RunConfig
        {
            Name = "waiting", Seed = 2, Base = TinyRuns.Base, Recontextualization = RecontextPolicy.FromPreset("neutral->bad"),
            Steps = 1, PromptsPerStep = 1, SamplesPerPrompt = 2, MaxNewTokens = 8, EvalEvery = 1, EvalTasks = 1,
        };
        var deployment = new RunDeployment(BusUrl: broker.Url, RemoteRoles: new HashSet<string> { ServiceRoles.Judge }, WaitLimit: TimeSpan.FromSeconds(4));
        var phases = new List<string>();
        var progress = new SynchronousProgress(p => { lock (phases) phases.Add(p.Phase); });

        var error = await Assert.ThrowsAsync<TimeoutException>(() => new RunLoop(config, baseDir, Path.Combine(root, "run"), deployment: deployment).RunAsync(progress));

        Assert.Matches(@"no answer from the judge since \d\d:\d\d:\d\d \(4 s, the wait limit\); is the judge service running on RabbitMQ", error.Message);
        lock (phases) Assert.Contains(phases, p => System.Text.RegularExpressions.Regex.IsMatch(p, @"^evaluating, waiting for the judge since \d\d:\d\d:\d\d$"));
    }

    sealed class SynchronousProgress(Action<RunLoop.Progress> report) : IProgress<RunLoop.Progress>
    {
        public void Report(RunLoop.Progress value) => report(value);
    }
}
