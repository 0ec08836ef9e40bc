using Recontext.Contracts;
using Recontext.Environments;
using Recontext.Environments.ToyCode;
using Recontext.Hosting;
using Recontext.Judge.Host;
using Recontext.Judge.Messaging;
using Recontext.Model.Modules;
using Recontext.Prompts.Tokenization;
using Recontext.Recontextualizer;
using Recontext.Recontextualizer.Host;
using Recontext.Runs.Bus;
using Recontext.TestSupport;

namespace Recontext.Services.Tests;

/// <summary>The recontextualizer as a service of its own (recontext-recontextualizer, started in the test process) on a
/// real broker: what it refuses, it refuses by name, and the run's step fails with its reason.</summary>
[Collection(ServicesCollection.Name)]
public sealed class RecontextualizerServiceTests
{
    readonly RabbitMqTestBroker broker = new();

    [Fact]
    public async Task AnInvalidPolicyFailsTheStepWithTheRecontextualizersReason()
    {
        await using var service = await ServiceHost.StartAsync(RecontextualizerHost.Build, broker.Url);
        await using var judge = await ServiceHost.StartAsync(JudgeHost.Build, broker.Url);
        var roles = new HashSet<string> { ServiceRoles.Judge, ServiceRoles.Recontextualizer };
        await using var bus = await InProcessBus.StartAsync(BusTransport.Parse(broker.Url), remoteRoles: roles);
        using var model = CausalLm.Create(TinyRuns.Base.ModelConfig, 1);
        var environment = new ToyCodeEnvironment();
        var tokenizer = new ByteTokenizer();
        var runId = $"invalid-policy/{Guid.NewGuid():N}";
        var session = new RunSession(runId);
        bus.Sessions.Add(session);
        bus.Policies.Add(runId, model);
        var generation = ContextSpec.Of("neutral").Resolve(environment);
        var tasks = environment.SampleTasks(TaskSplit.Train, 1, 3);
        var promptIds = new PromptTokens(environment, Recontext.Prompts.ModelText.Organism).Encode(tasks[0], generation);
        var batchId = Guid.NewGuid();
        var request = new GenerateRollouts
        {
            RunId = runId, Step = 1, BatchId = batchId, PolicyVersion = 0, SamplesPerPrompt = 2, Temperature = 1, MaxNewTokens = 4, Seed = 1,
            Prompts = [new PromptForGeneration { TaskId = tasks[0].Id, Group = 0, PromptIds = promptIds }],
            Tasks = tasks.Select(t => JudgeTasks.Encode(environment, t)).ToArray(), Variant = JudgeTasks.Loophole,
            Recontext = new RecontextRequest { Policy = """{"mode": "fraction", "fraction": 1.5}""", Seed = 1 },
        };
        var pending = session.Begin(request);
        double failuresBefore = await service.CounterAsync("recontext_recontextualizer_failures_total");

        await bus.SendAsync(ServiceRoles.Generator, request);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pending.Done.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("the recontextualizer failed on step 1", error.Message);
        Assert.Contains("recontextualization.fraction must be in [0, 1], got 1.5", error.Message);
        Assert.Equal(1, await service.CounterAsync("recontext_recontextualizer_failures_total") - failuresBefore);
    }
}
