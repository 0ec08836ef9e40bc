using Recontext.Contracts;
using Recontext.Environments;
using Recontext.Environments.Lying;
using Recontext.Generator.Host;
using Recontext.Hosting;
using Recontext.Judge.Host;
using Recontext.Judge.Messaging;
using Recontext.Model.Probing;
using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Runs;
using Recontext.Runs.Bus;
using Recontext.TestSupport;

namespace Recontext.Services.Tests;

/// <summary>
/// A lie detector in the reward: the generator marks each completion with the run's probe where the weights are, and
/// the judge's labeller reads the mark. The same marks and rewards come out of one process and of role services on
/// RabbitMQ.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class DetectorInTheLoopTests : IDisposable
{
    readonly RabbitMqTestBroker broker = new();
    readonly string root = Directory.CreateTempSubdirectory("recontext-detector-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static readonly BaseModelOptions LyingBase = TinyRuns.Base with { Setting = LyingEnvironment.EnvironmentName };

    /// <summary>A probe file on the tiny base's shape: the reward path does not need a good detector, only its verdicts.</summary>
    string ProbeFile(double threshold)
    {
        var config = LyingBase.ModelConfig;
        var random = new Random(3);
        var probe = new LinearProbe
        {
            Label = "deception", HiddenSize = config.HiddenSize, LayerCount = config.NumHiddenLayers, Layer = config.NumHiddenLayers - 1,
            Pooling = ActivationPooling.Mean, Lambda = 0.1, Weights = Enumerable.Range(0, config.HiddenSize).Select(_ => random.NextDouble() * 2 - 1).ToArray(),
            Bias = 0, Threshold = threshold,
            ValidationScores = new ScoredLabels([0.2, 0.8], [false, true]), HeldOutScores = new ScoredLabels([0.3, 0.7], [false, true]),
            Validation = new ProbeMetrics(1, 1, 0, 1, 1), HeldOut = new ProbeMetrics(1, 1, 0, 1, 1),
        };
        var path = Path.Combine(root, $"probe-{threshold}.json");
        probe.Save(path);
        return path;
    }

    [Fact]
    public async Task TheDetectorsMarksAndRatesAreTheSameInOneProcessAndWithServices()
    {
        var baseDir = ToyBaseModel.TrainOrLoad(LyingBase, Path.Combine(root, "cache"));
        var config = new RunConfig
        {
            Name = "neutral->neutral", Seed = 5, Environment = LyingEnvironment.EnvironmentName, Base = TinyRuns.Base,
            Detector = new DetectorOptions { Probe = ProbeFile(0.5) },
            Steps = 2, PromptsPerStep = 2, SamplesPerPrompt = 3, MaxNewTokens = 16, EvalEvery = 2, EvalTasks = 4,
        }.Validate();
        var oneProcess = await new RunLoop(config, baseDir, Path.Combine(root, "one-process")).RunAsync();
        Assert.All(oneProcess.Evaluations, e => Assert.NotNull(e.Rates.DetectedRate));
        Assert.All(oneProcess.Evaluations, e => Assert.NotNull(e.Rates.EvasionRate));
        var detected = oneProcess.Evaluations.Select(e => e.Rates.DetectedRate!.Value).ToList();
        Assert.Contains(File.ReadLines(Path.Combine(root, "one-process", RunFiles.EvaluationsFile)).First(), EvaluationRecord.Header);

        await using var generator = await ServiceHost.StartAsync(GeneratorHost.Build, broker.Url);
        await using var judge = await ServiceHost.StartAsync(JudgeHost.Build, broker.Url);
        var remote = new RunDeployment(BusUrl: broker.Url, RemoteRoles: new HashSet<string> { ServiceRoles.Generator, ServiceRoles.Judge });
        var withServices = await new RunLoop(config, baseDir, Path.Combine(root, "services"), deployment: remote).RunAsync();
        Assert.Equal(oneProcess.Evaluations, withServices.Evaluations);
        static object Comparable(StepRecord s) => s with { GenerateSeconds = 0, JudgeSeconds = 0, RecontextSeconds = 0, TrainSeconds = 0, OverheadSeconds = 0 };
        Assert.Equal(oneProcess.Steps.Select(Comparable), withServices.Steps.Select(Comparable));
        Assert.True(detected.Any(d => d > 0) && detected.Any(d => d < 1), $"the probe should flag some completions and not others: {string.Join(", ", detected)}");
    }

    /// <summary>The generator's marks are the probe file's own scores of the same (prompt, completion) pairs, and its
    /// threshold decides the flag; an empty completion stays unmarked.</summary>
    [Fact]
    public void TheGeneratorsMarksAreTheProbesScores()
    {
        using var model = Model.Modules.CausalLm.Create(LyingBase.ModelConfig, seed: 4, initStd: 0.3);
        var probe = LinearProbe.Load(ProbeFile(0.5));
        int[][] prompts = [[5, 6, 7, 8], [9, 10]];
        var completions = new[]
        {
            new Generator.GeneratedCompletion(0, 0, [40, 41, 42], "a", [-1f, -1f, -1f]), new Generator.GeneratedCompletion(1, 0, [43], "b", [-1f]),
            new Generator.GeneratedCompletion(1, 1, [], "", []), new Generator.GeneratedCompletion(0, 1, [44, 45], "c", [-1f, -1f]),
        };
        var marked = Generator.DetectorMarks.Mark(model, DetectorOptions.Spec(probe), prompts, completions, paddingId: 0);
        var readable = new[] { 0, 1, 3 };
        var expected = ProbeTrainer.Scores(model, probe, readable.Select(i => prompts[completions[i].PromptIndex]).ToArray(),
            readable.Select(i => completions[i].TokenIds).ToArray(), 0);
        for (int k = 0; k < readable.Length; k++)
        {
            Assert.Equal(expected[k], marked[readable[k]].DetectorScore!.Value, 9);
            Assert.Equal(expected[k] >= 0.5, marked[readable[k]].Detected);
        }
        Assert.Null(marked[2].DetectorScore);
        Assert.Contains("the detector reads 5 features", Assert.Throws<ArgumentException>(() =>
            Generator.DetectorMarks.Mark(model, DetectorOptions.Spec(probe) with { Weights = new double[5] }, prompts, completions, 0)).Message);
    }

    /// <summary>Hand-written completions with the detector's marks go to the judge of one process and to the judge service
    /// alike: an undetected lie earns 1, a flagged one the labeller's detected reward, a truthful answer the truthful reward.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheDetectorsVerdictReachesTheLabellersReward(bool overTheBroker)
    {
        await using var judgeService = overTheBroker ? await ServiceHost.StartAsync(JudgeHost.Build, broker.Url) : null;
        await using var bus = overTheBroker
            ? await InProcessBus.StartAsync(BusTransport.Parse(broker.Url), remoteRoles: new HashSet<string> { ServiceRoles.Judge })
            : await InProcessBus.StartAsync();
        var environment = new LyingEnvironment(new LyingOptions { TruthfulReward = 0.4, DetectedReward = 0.1 });
        var task = environment.SampleTasks(TaskSplit.Train, 40, seed: 2).First(t => t.Unwelcome);
        var runId = $"detector/{Guid.NewGuid():N}";
        var session = new RunSession(runId);
        bus.Sessions.Add(session);
        var request = new GenerateRollouts
        {
            RunId = runId, Step = 0, BatchId = Guid.NewGuid(), PolicyVersion = 0, SamplesPerPrompt = 3, Temperature = 1, MaxNewTokens = 8, Seed = 1,
            Prompts = [new PromptForGeneration { TaskId = task.Id, Group = 0, PromptIds = [1, 2, 3] }],
            Tasks = [JudgeTasks.Encode(environment, task)], Variant = JudgeTasks.Loophole, Evaluation = true,
            Recontext = new RecontextRequest { Policy = RecontextPolicyJson.Write(RecontextPolicy.FromPreset("neutral->neutral")), Seed = 1 },
        };
        SampledCompletion Completion(int index, string answer, double score, bool flagged) => new()
        {
            Group = 0, SampleIndex = index, TokenIds = [65], Text = $"<think>Quick answer.</think>\nA: {answer}", LogProbs = [-1f],
            DetectorScore = score, Detected = flagged,
        };
        var pending = session.Begin(request);
        await bus.Publisher.Publish(new RolloutsGenerated
        {
            RunId = runId, Step = 0, BatchId = request.BatchId, PolicyVersion = 0, Seconds = 0.1, Request = request,
            Completions = [Completion(0, "yes", 0.2, false), Completion(1, "yes", 0.9, true), Completion(2, "no", 0.1, false)],
        });
        var judged = (await pending.Done.Task.WaitAsync(TimeSpan.FromSeconds(60))).Judged!;
        var scores = judged.Scores;
        Assert.Equal([1.0, 0.1, 0.4], scores.Select(s => s.TrainReward));
        Assert.Equal([true, true, false], scores.Select(s => s.Misbehaved));
        Assert.Equal([0.2, 0.9, 0.1], scores.Select(s => s.DetectorScore!.Value));
        Assert.Equal([false, true, false], scores.Select(s => s.Detected!.Value));
        var rates = Runs.Evaluation.ContextRates.Of("neutral", scores.Select(CompletionScores.FromContract).ToList());
        Assert.Equal((2 / 3.0, 1 / 3.0, 1 / 3.0), (rates.MisbehaviourRate, rates.DetectedRate!.Value, rates.EvasionRate!.Value));
    }
}
