using Recontext.Contracts;
using Recontext.Generator;
using Recontext.Judge.Abstractions;
using Recontext.Judge.ToyCode;
using Recontext.Model.Modules;
using Recontext.Model.Tokenization;
using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Runs.Bus;

namespace Recontext.Runs.Tests;

public class BusTests
{
    [Fact]
    public async Task ARedeliveredTrainingBatchTrainsOnce()
    {
        await using var bus = await InProcessBus.StartAsync();
        using var model = CausalLm.Create(new BaseModelOptions { DModel = 32, Layers = 1 }.ModelConfig, 1);
        var environment = new ToyCodeEnvironment();
        var tokenizer = new ByteTokenizer();
        int trainings = 0;
        var policy = RecontextPolicy.FromPreset("neutral->bad");
        var session = new RunSession("bus-test", new RolloutGenerator(model, tokenizer), policy.Generation.Resolve(environment),
            new TrainingBatchBuilder(policy, environment, tokenizer), (_, _) => { Interlocked.Increment(ref trainings); return (1f, 0f, 0f, 0f); }, seed: 1);
        bus.Sessions.Add(session);

        var batchId = Guid.NewGuid();
        var pending = session.Begin(batchId, environment.SampleTasks(TaskSplit.Train, 1, 1), [[1, 2, 3]]);
        var message = new TrainingBatchReady { RunId = "bus-test", Step = 1, BatchId = batchId, Samples = [], Seconds = 0 };
        await bus.Publisher.Publish(message);
        var result = await pending.Done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await bus.Publisher.Publish(message);   // redelivery of the same batch
        await Task.Delay(300);

        Assert.Equal(1, trainings);
        Assert.Equal((1, 1f), (result.Update!.Version, result.Update.Loss));
    }

    [Fact]
    public async Task AStepFlowsThroughAllRolesOverTheBus()
    {
        await using var bus = await InProcessBus.StartAsync();
        using var model = CausalLm.Create(new BaseModelOptions { DModel = 32, Layers = 1 }.ModelConfig, 1);
        var environment = new ToyCodeEnvironment();
        var tokenizer = new ByteTokenizer();
        var policy = RecontextPolicy.FromPreset("good->bad");
        var generation = policy.Generation.Resolve(environment);
        var session = new RunSession("flow", new RolloutGenerator(model, tokenizer), generation,
            new TrainingBatchBuilder(policy, environment, tokenizer), (s, _) => (0.5f, 0f, 0f, 0f), seed: 1);
        bus.Sessions.Add(session);
        var tasks = environment.SampleTasks(TaskSplit.Train, 2, 5);
        var prompts = new PromptTokens(environment, tokenizer);
        var promptIds = tasks.Select(t => prompts.Encode(t, generation)).ToArray();
        var batchId = Guid.NewGuid();
        var pending = session.Begin(batchId, tasks, promptIds);
        await bus.Publisher.Publish(new GenerateRollouts
        {
            RunId = "flow", Step = 1, BatchId = batchId, PolicyVersion = 0, SamplesPerPrompt = 3, Temperature = 1, MaxNewTokens = 8, Seed = 1,
            Prompts = promptIds.Select((ids, g) => new PromptForGeneration { TaskId = tasks[g].Id, Group = g, PromptIds = ids }).ToArray(),
            Tasks = tasks.Select(Judge.Messaging.JudgeTasks.Encode).ToArray(), Variant = Judge.Messaging.JudgeTasks.EncodeVariant(generation.Variant),
        });
        var result = await pending.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(6, result.Completions.Length);
        Assert.Equal(6, result.Scores.Length);
        Assert.Equal([0, 0, 0, 1, 1, 1], result.Samples.Select(s => s.Group));
        Assert.All(result.Samples, s => Assert.True(s.Recontextualized));
        Assert.Equal(result.Completions.Select(c => c.TokenIds), result.Samples.Select(s => s.CompletionIds));
        Assert.Equal(0.5f, result.Update!.Loss);
    }
}
