using Recontext.Contracts;
using Recontext.Environments;
using Recontext.Environments.ToyCode;
using Recontext.Hosting;
using Recontext.Judge.Host;
using Recontext.Judge.Messaging;
using Recontext.Model.Modules;
using Recontext.Organism;
using Recontext.Prompts.Tokenization;
using Recontext.Recontextualizer;
using Recontext.Runs;
using Recontext.Runs.Bus;
using Recontext.TestSupport;

namespace Recontext.Services.Tests;

/// <summary>
/// The judge as a service of its own (the host `recontext-judge` runs, started here in the test process) on a real
/// RabbitMQ broker, with the run loop leaving the judge's role to it.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class JudgeServiceTests : IAsyncLifetime, IDisposable
{
    readonly RabbitMqTestBroker broker = new();
    readonly string root = Directory.CreateTempSubdirectory("recontext-judge-service-").FullName;
    ServiceHost judge = null!;


    public async Task InitializeAsync() => judge = await ServiceHost.StartAsync(JudgeHost.Build, broker.Url);

    public async Task DisposeAsync() => await judge.DisposeAsync();

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task ARunWithTheJudgeAsAServiceEqualsTheOneProcessRun()
    {
        Assert.Equal("Healthy", await judge.Http.GetStringAsync("/health"));
        var baseDir = ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache"));
        var config = new RunConfig
        {
            Name = "good->bad", Seed = 7, Base = TinyRuns.Base, Recontextualization = RecontextPolicy.FromPreset("good->bad"),
            Steps = 2, PromptsPerStep = 2, SamplesPerPrompt = 3, MaxNewTokens = 16, EvalEvery = 2, EvalTasks = 2,
        };
        var oneProcess = await new RunLoop(config, baseDir, Path.Combine(root, "one-process")).RunAsync();
        double before = await judge.CounterAsync("recontext_judge_rollouts_total");

        var remote = new RunDeployment(BusUrl: broker.Url, RemoteRoles: new HashSet<string> { ServiceRoles.Judge });
        var withService = await new RunLoop(config, baseDir, Path.Combine(root, "service"), deployment: remote).RunAsync();

        static object Comparable(StepRecord s) => s with { GenerateSeconds = 0, JudgeSeconds = 0, RecontextSeconds = 0, TrainSeconds = 0, OverheadSeconds = 0 };
        Assert.Equal(oneProcess.Steps.Select(Comparable), withService.Steps.Select(Comparable));
        Assert.Equal(oneProcess.Evaluations, withService.Evaluations);
        // Every rollout of the run was scored by the service: 2 steps × 2 prompts × 3 samples, and the evaluations
        // (after steps 0 and 2) × 3 eval contexts × 2 held-out tasks.
        Assert.Equal(12 + 12, await judge.CounterAsync("recontext_judge_rollouts_total") - before);
    }

    [Fact]
    public async Task AnInvalidTaskFailsTheStepWithTheJudgesReason()
    {
        await using var bus = await InProcessBus.StartAsync(BusTransport.Parse(broker.Url), remoteRoles: new HashSet<string> { ServiceRoles.Judge });
        using var model = CausalLm.Create(TinyRuns.Base.ModelConfig, 1);
        var environment = new ToyCodeEnvironment();
        var tokenizer = new ByteTokenizer();
        var policy = RecontextPolicy.FromPreset("neutral->neutral");
        var generation = policy.Generation.Resolve(environment);
        var runId = $"invalid-task/{Guid.NewGuid():N}";
        var session = new RunSession(runId);
        bus.Sessions.Add(session);
        bus.Policies.Add(runId, model);
        var tasks = environment.SampleTasks(TaskSplit.Train, 1, 3);
        var promptIds = new[] { new PromptTokens(environment, Recontext.Prompts.ModelText.Organism).Encode(tasks[0], generation) };
        var batchId = Guid.NewGuid();
        var request = new GenerateRollouts
        {
            RunId = runId, Step = 1, BatchId = batchId, PolicyVersion = 0, SamplesPerPrompt = 2, Temperature = 1, MaxNewTokens = 4, Seed = 1,
            Prompts = [new PromptForGeneration { TaskId = tasks[0].Id, Group = 0, PromptIds = promptIds[0] }],
            Tasks = [new JudgeTask { Environment = ToyCodeEnvironment.EnvironmentName, Row = """{"visible_tests": ["f(1) == 2"]}""" }],
            Variant = JudgeTasks.Loophole,
            Recontext = new RecontextRequest { Policy = RecontextPolicyJson.Write(policy), Seed = 1 },
        };
        var pending = session.Begin(request);
        int poisonedBefore = RabbitMqTestBroker.QueueDepth($"{JudgeHost.QueueName}_error");

        await bus.SendAsync(ServiceRoles.Generator, request);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pending.Done.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("the judge failed on step 1", error.Message);
        Assert.Contains("tasks[0]: field 'problem' must be a non-empty string", error.Message);
        // The poison message rests in the judge's error queue, and the service keeps serving (no crash loop).
        int poisoned = poisonedBefore;
        for (var deadline = DateTime.UtcNow.AddSeconds(10); poisoned == poisonedBefore && DateTime.UtcNow < deadline; await Task.Delay(250))
            poisoned = RabbitMqTestBroker.QueueDepth($"{JudgeHost.QueueName}_error");
        Assert.Equal(poisonedBefore + 1, poisoned);
        Assert.Equal("Healthy", await judge.Http.GetStringAsync("/health"));
    }
}
