using System.Threading.Channels;
using MassTransit;
using Recontext.Contracts;
using Recontext.Environments;
using Recontext.Environments.ToyCode;
using Recontext.Judge.Messaging;
using Recontext.Model.Modules;
using Recontext.Organism;
using Recontext.Prompts.Tokenization;
using Recontext.Recontextualizer;
using Recontext.Runs.Bus;
using Recontext.Trainer.Algorithms;
using Recontext.Trainer.Messaging;

namespace Recontext.Runs.Tests;

public class BusTests
{
    [Fact]
    public async Task ARedeliveredTrainingBatchTrainsOnce()
    {
        await using var bus = await InProcessBus.StartAsync();
        bus.Sessions.Add(new RunSession("bus-test"));
        int trainings = 0;
        bus.Trainers.Add(new TrainerSession("bus-test", _ =>
        {
            Interlocked.Increment(ref trainings);
            Thread.Sleep(200);   // the duplicate arrives while the first delivery is still training
            return new UpdateMetrics(1f, 0f, 0f, 0f);
        }));
        var answers = Channel.CreateUnbounded<PolicyUpdated>();
        var watcher = bus.Bus.ConnectReceiveEndpoint("bus-test-answers", e => e.Handler<PolicyUpdated>(c => answers.Writer.WriteAsync(c.Message).AsTask()));
        await watcher.Ready;

        var message = new TrainingBatchReady { RunId = "bus-test", Step = 1, BatchId = Guid.NewGuid(), Samples = [], Scores = [], Seconds = 0 };
        var command = new TrainPolicy { Batch = message };
        await Task.WhenAll(bus.SendAsync(ServiceRoles.Trainer, command), bus.SendAsync(ServiceRoles.Trainer, command));
        var first = await answers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var second = await answers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await bus.SendAsync(ServiceRoles.Trainer, command);   // and once more after the update finished
        var third = await answers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, trainings);
        // Every delivery is answered, with the one update's result, so a coordinator that lost an answer gets it again.
        Assert.Equal((1, 1f), (first.Version, first.Loss));
        Assert.Equal(first, second);
        Assert.Equal(first, third);
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
        var session = new RunSession("flow");
        bus.Sessions.Add(session);
        bus.Policies.Add("flow", model);
        IReadOnlyList<CompletionScore>? trainedScores = null;
        bus.Trainers.Add(new TrainerSession("flow", batch =>
        {
            trainedScores = batch.Scores;
            return new UpdateMetrics(0.5f, 0f, 0f, 0f);
        }));
        var tasks = environment.SampleTasks(TaskSplit.Train, 2, 5);
        var prompts = new PromptTokens(environment, Recontext.Prompts.ModelText.Organism);
        var promptIds = tasks.Select(t => prompts.Encode(t, generation)).ToArray();
        var batchId = Guid.NewGuid();
        var request = new GenerateRollouts
        {
            RunId = "flow", Step = 1, BatchId = batchId, PolicyVersion = 0, SamplesPerPrompt = 3, Temperature = 1, MaxNewTokens = 8, Seed = 1,
            Prompts = promptIds.Select((ids, g) => new PromptForGeneration { TaskId = tasks[g].Id, Group = g, PromptIds = ids }).ToArray(),
            Tasks = tasks.Select(t => JudgeTasks.Encode(environment, t)).ToArray(), Variant = JudgeTasks.EncodeVariant(generation.Variant),
            Recontext = new RecontextRequest { Policy = RecontextPolicyJson.Write(policy), Seed = 1 },
        };
        var pending = session.Begin(request);
        await bus.SendAsync(ServiceRoles.Generator, request);
        var result = await pending.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var (judged, training) = (result.Judged!, result.Training!);
        Assert.Equal(6, judged.Completions.Length);
        Assert.Equal(6, judged.Scores.Length);
        Assert.Equal([0, 0, 0, 1, 1, 1], training.Samples.Select(s => s.Group));
        Assert.All(training.Samples, s => Assert.True(s.Recontextualized));
        // f_train is the bad context rendered for the sample's own task, spliced onto the unchanged completion ids.
        var bad = policy.Training.Resolve(environment);
        Assert.Equal(training.Samples.Select(s => prompts.Encode(tasks[s.Group], bad)), training.Samples.Select(s => s.TrainingPromptIds));
        Assert.Equal(judged.Completions.Select(c => c.TokenIds), training.Samples.Select(s => s.CompletionIds));
        // The trainer got the judge's scores from its message, one per sample.
        Assert.Equal(judged.Scores, trainedScores);
        Assert.Equal(0.5f, result.Update!.Loss);
    }

    [Fact]
    public async Task ACommandReachesItsRoleOnlyWhenSentToItsQueue()
    {
        await using var bus = await InProcessBus.StartAsync();
        using var model = CausalLm.Create(new BaseModelOptions { DModel = 32, Layers = 1 }.ModelConfig, 1);
        var environment = new ToyCodeEnvironment();
        var session = new RunSession("routing");
        bus.Sessions.Add(session);
        bus.Policies.Add("routing", model);
        var generated = Channel.CreateUnbounded<RolloutsGenerated>();
        var watcher = bus.Bus.ConnectReceiveEndpoint("routing-generated", e => e.Handler<RolloutsGenerated>(c => generated.Writer.WriteAsync(c.Message).AsTask()));
        await watcher.Ready;
        var tasks = environment.SampleTasks(TaskSplit.Train, 1, 5);
        var request = new GenerateRollouts
        {
            RunId = "routing", Step = 0, BatchId = Guid.NewGuid(), PolicyVersion = 0, SamplesPerPrompt = 2, Temperature = 1, MaxNewTokens = 4, Seed = 1,
            Prompts = [new PromptForGeneration { TaskId = tasks[0].Id, Group = 0, PromptIds = [1, 2, 3] }],
            Tasks = [JudgeTasks.Encode(environment, tasks[0])], Variant = JudgeTasks.Loophole, Evaluation = true,
            Recontext = new RecontextRequest { Policy = RecontextPolicyJson.Write(RecontextPolicy.FromPreset("neutral->neutral")), Seed = 1 },
        };
        var pending = session.Begin(request);

        // Published, the command reaches no one: a role's queue subscribes to nothing.
        await bus.Publisher.Publish(request);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(generated.Reader.TryRead(out _));

        // Sent to the generator's queue, it is sampled once and the coordinator has the judge score it.
        await bus.SendAsync(ServiceRoles.Generator, request);
        var judged = (await pending.Done.Task.WaitAsync(TimeSpan.FromSeconds(30))).Judged!;
        Assert.Equal(2, judged.Scores.Length);
        Assert.EndsWith(bus.Roles.LocalQueue(ServiceRoles.Generator), bus.Roles.Of(ServiceRoles.Generator).AbsolutePath);
        Assert.True((await generated.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Completions.Length == 2);
        Assert.False(generated.Reader.TryRead(out _));
    }

    /// <summary>A forward lost to a broker outage is made good on the event's redelivery: the coordinator sends the next
    /// command on every delivery while that step is still awaited, and stops once its answer is in.</summary>
    [Fact]
    public void EachForwardIsRepeatedWhileItsAnswerIsAwaited()
    {
        var session = new RunSession("forward");
        var batch = new GenerateRollouts
        {
            RunId = "forward", Step = 1, BatchId = Guid.NewGuid(), PolicyVersion = 0, Prompts = [], SamplesPerPrompt = 2, Temperature = 1, MaxNewTokens = 4,
            Seed = 1, Tasks = [], Variant = JudgeTasks.Loophole, Recontext = new RecontextRequest { Policy = "{}", Seed = 1 },
        };
        var pending = session.Begin(batch);
        var generated = new RolloutsGenerated { RunId = "forward", Step = 1, BatchId = batch.BatchId, PolicyVersion = 0, Completions = [], Seconds = 0, Request = batch };
        bool Generated() => session.Record(batch.BatchId, 0, r => { r.AddGenerated(generated); return r.AwaitsJudgement(0); });
        Assert.True(Generated());
        Assert.True(Generated());   // redelivered before the judge answered: sent again
        var judged = new RolloutsJudged { RunId = "forward", Step = 1, BatchId = batch.BatchId, PolicyVersion = 0, Completions = [], Scores = [], Seconds = 0, Request = batch };
        RolloutsJudged? Judged() => session.Record(batch.BatchId, 0, r => { r.AddJudged(judged); return r.AwaitsRecontextualization ? r.Judged : null; });
        Assert.NotNull(Judged());
        Assert.NotNull(Judged());   // redelivered before the training batch came back: sent again
        Assert.False(Generated());  // judged: the generator's event is not forwarded any more
        var training = new TrainingBatchReady { RunId = "forward", Step = 1, BatchId = batch.BatchId, Samples = [], Scores = [], Seconds = 0 };
        bool Trained() => session.Record(batch.BatchId, 0, r => { r.AddTraining(training); return r.AwaitsUpdate; });
        Assert.True(Trained());
        Assert.True(Trained());
        Assert.Null(Judged());
        session.Record(batch.BatchId, 0, r => r.Update = new PolicyUpdated { RunId = "forward", Step = 1, BatchId = batch.BatchId, Version = 1, Loss = 0, Kl = 0, ClippedFraction = 0, ContextGap = 0, Seconds = 0 });
        Assert.True(pending.Done.Task.IsCompleted);
        Assert.False(Trained());    // the step is over: nothing is awaited
    }
}
