using Recontext.Hosting;
using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Runs.Bus;
using Recontext.TestSupport;

namespace Recontext.Runs.Tests;

/// <summary>The roles' messages over a real RabbitMQ broker: serialized, routed and consumed like the in-memory ones.</summary>
public sealed class RabbitMqRunTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-rabbit-run-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);


    [Fact]
    public async Task ARunOverRabbitMqEqualsTheInMemoryRunWhileAnotherProcessShareTheBroker()
    {
        var broker = new RabbitMqTestBroker();
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var config = new RunConfig
        {
            Name = "neutral->bad", Seed = 5, Base = TinyRuns.Base, Recontextualization = RecontextPolicy.FromPreset("neutral->bad"),
            Steps = 2, PromptsPerStep = 2, SamplesPerPrompt = 3, MaxNewTokens = 16, EvalEvery = 1, EvalTasks = 2,
        };
        var inMemory = await new RunLoop(config, baseDir, Path.Combine(root, "in-memory")).RunAsync();

        // A second bus on the same broker stands for another process: it receives every event of the run and must
        // leave them alone (it hosts no run), while the run's own bus carries the step.
        await using var bystander = await InProcessBus.StartAsync(BusTransport.Parse(broker.Url));
        Assert.NotNull(bystander.Transport.RabbitMq);
        var overRabbit = await new RunLoop(config, baseDir, Path.Combine(root, "rabbit"), deployment: new RunDeployment(BusUrl: broker.Url)).RunAsync();

        static object Comparable(StepRecord s) => s with { GenerateSeconds = 0, JudgeSeconds = 0, RecontextSeconds = 0, TrainSeconds = 0, OverheadSeconds = 0 };
        Assert.Equal(inMemory.Steps.Select(Comparable), overRabbit.Steps.Select(Comparable));
        Assert.Equal(inMemory.Evaluations, overRabbit.Evaluations);
        Assert.Equal(2, overRabbit.Steps.Count);
    }

    [Fact]
    public void BusUrlsAreCheckedAndNamed()
    {
        var parsed = BusTransport.Parse("amqp://alice:s%40cret@broker.example:5673/lab");
        Assert.Equal(("alice", "s@cret", "broker.example", 5673, "/lab"), (parsed.Username, parsed.Password, parsed.RabbitMq!.Host, parsed.RabbitMq.Port, parsed.RabbitMq.AbsolutePath));
        Assert.Equal(("guest", 5672), (BusTransport.Parse("rabbitmq://localhost").Username, BusTransport.Parse("rabbitmq://localhost").RabbitMq!.Port));
        Assert.Null(BusTransport.Parse(null).RabbitMq);
        var error = Assert.Throws<ArgumentException>(() => BusTransport.Parse("http://localhost:5672"));
        Assert.Contains("bus must be a rabbitmq://", error.Message);
        var unreachable = Assert.Throws<ArgumentException>(() => new RunDeployment(BusUrl: "rabbitmq://127.0.0.1:1/").Check());
        Assert.Contains("bus: no RabbitMQ", unreachable.Message);
    }
}
