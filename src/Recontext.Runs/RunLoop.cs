using System.Diagnostics;
using Recontext.Contracts;
using Recontext.Generator;
using Recontext.Judge.Abstractions;
using Recontext.Judge.ToyCode;
using Recontext.Model;
using Recontext.Model.Checkpoints;
using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Prompts.Tokenization;
using Recontext.Model.Training;
using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Runs.Bus;
using Recontext.Runs.Evaluation;
using Recontext.Store;
using Recontext.Trainer.Algorithms;
using Recontext.Trainer.Messaging;
using Recontext.Trainer.Messaging.Weights;

namespace Recontext.Runs;

/// <summary>
/// One training run in one process: sample under f_gen, judge, recontextualize to f_train, update, repeat;
/// evaluate every <see cref="RunConfig.EvalEvery"/> steps under each eval context. Writes metrics.csv and
/// evaluations.csv as it goes, stores every rollout (DIR/traces.db), and saves its state after each step so that
/// <c>resume: true</c> continues a stopped run from the last completed step.
/// </summary>
/// <param name="initialEvaluation">the step-0 evaluation when it is already known (the demo evaluates the base once
/// per seed: every variant of that seed starts from the same weights, eval tasks and eval seed)</param>
/// <param name="deployment">where traces and messages go (default: traces.db in the results folder, in-memory bus)</param>
public sealed class RunLoop(RunConfig config, string baseDirectory, string outputDirectory, InProcessBus? externalBus = null,
    IReadOnlyList<ContextRates>? initialEvaluation = null, RunDeployment? deployment = null)
{
    public sealed record Progress(int Step, int Steps, string Phase, StepRecord? Last);

    public const string TracesFile = RunStores.EmbeddedFile;
    public const string ConfigFile = "run-config.json";

    public const string RunIdFile = "run-id";

    /// <summary>
    /// The run's id in the trace store and on the bus: <c>name/seed-S/time-random</c>, made when the run first starts
    /// and kept in its results folder (<see cref="RunIdFile"/>), so a resumed run writes under the same id and two runs
    /// of one experiment into a shared MongoDB never mix their traces.
    /// </summary>
    public string RunId => runId ??= LoadOrCreateRunId();

    string? runId;

    string LoadOrCreateRunId()
    {
        var path = Path.Combine(outputDirectory, RunIdFile);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing) return existing;
        Directory.CreateDirectory(outputDirectory);
        var id = $"{config.Name}/seed-{config.Seed}/{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        File.WriteAllText(path, id);
        return id;
    }

    public async Task<RunResult> RunAsync(IProgress<Progress>? progress = null, CancellationToken cancellation = default, bool resume = false)
    {
        config.Validate();
        Directory.CreateDirectory(outputDirectory);
        int? completed = resume ? RunState.CompletedStep(outputDirectory) : null;
        if (resume && completed is null) throw new InvalidOperationException($"{outputDirectory} holds no saved state to resume from");
        int firstStep = (completed ?? 0) + 1;
        File.WriteAllText(Path.Combine(outputDirectory, ConfigFile), System.Text.Json.JsonSerializer.Serialize(config, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        using var store = RunStores.Open(deployment?.StoreUrl, outputDirectory);
        var runDocument = store.FindRun(RunId) ?? new RunDocument { Id = RunId, Name = config.Name };
        runDocument.ConfigJson = File.ReadAllText(Path.Combine(outputDirectory, ConfigFile));
        runDocument.Status = "running";
        store.SaveRun(runDocument);
        if (completed is int done) store.DeleteRolloutsAfter(RunId, done);
        var tokenizer = new ByteTokenizer();
        var environment = new ToyCodeEnvironment(config.ToyCode);
        var prompts = new PromptTokens(environment, tokenizer);
        var generationContext = config.Recontextualization.Generation.Resolve(environment);
        var sampling = new SamplingOptions { MaxNewTokens = config.MaxNewTokens, Temperature = config.Temperature, StopTokenIds = [ByteTokenizer.ImEnd] };
        var evalContexts = config.EvalContexts.Select(c => c.Resolve(environment)).ToList();
        var evalTasks = environment.SampleTasks(TaskSplit.Eval, config.EvalTasks, seed: config.Seed * 7919 + 17);
        var evaluator = new PolicyEvaluator(environment, tokenizer, sampling);

        var models = await RunModels.LoadAsync(config, completed is null ? config.Checkpoint ?? baseDirectory : RunState.WeightsDirectory(outputDirectory),
            NeedsReference() ? config.Checkpoint ?? baseDirectory : null, tokenizer.PaddingId);
        try
        {
            return await RunStepsAsync(models, completed, firstStep, store, runDocument, tokenizer, environment, prompts, generationContext, evalContexts, evalTasks, evaluator, progress, cancellation);
        }
        finally
        {
            await models.DisposeAsync();
        }
    }

    async Task<RunResult> RunStepsAsync(RunModels models, int? completed, int firstStep, IRunStore store, RunDocument runDocument, ByteTokenizer tokenizer,
        ToyCodeEnvironment environment, PromptTokens prompts, Judge.Abstractions.PromptContext generationContext,
        IReadOnlyList<Judge.Abstractions.PromptContext> evalContexts, IReadOnlyList<CodingTask> evalTasks, PolicyEvaluator evaluator,
        IProgress<Progress>? progress, CancellationToken cancellation)
    {
        var policy = models.Policy;
        var (grpo, sft, distill) = (models.Grpo, models.Sft, models.Distill);

        var optimizer = models.Optimizer;
        if (completed is not null) await TorchThread.Default.Run(() => RunState.RestoreOptimizer(outputDirectory, optimizer));

        // On resume, keep what the completed steps wrote and drop anything a stopped step left behind.
        var metricsPath = Path.Combine(outputDirectory, "metrics.csv");
        var evaluationsPath = Path.Combine(outputDirectory, "evaluations.csv");
        var steps = completed is int c1 ? Kept(metricsPath, StepRecord.Parse, r => r.Step <= c1) : [];
        var evaluations = completed is int c2 ? Kept(evaluationsPath, EvaluationRecord.Parse, r => r.Step <= c2) : [];
        using var metricsFile = new StreamWriter(metricsPath);
        using var evaluationsFile = new StreamWriter(evaluationsPath);
        metricsFile.WriteLine(StepRecord.Header);
        foreach (var r in steps) metricsFile.WriteLine(r.ToCsv());
        evaluationsFile.WriteLine(EvaluationRecord.Header);
        foreach (var r in evaluations) evaluationsFile.WriteLine(r.ToCsv());

        var deploy = deployment ?? RunDeployment.Embedded;
        await using var ownedBus = externalBus is null ? await InProcessBus.StartAsync(deploy.Bus, cancellation, deploy.Remote) : null;
        // A generator in another process fetches each policy version from here over gRPC: version 0 is the starting
        // checkpoint, version v the resume point after step v (the policy a step samples with is always the last one saved).
        await using var weights = deploy.Remote.Contains(ServiceRoles.Generator) ? await WeightsServer.StartAsync(deploy.WeightsBindUrl, cancellation: cancellation) : null;
        weights?.Sources.Add(RunId, version => version == 0 ? config.Checkpoint ?? baseDirectory
            : RunState.CompletedStep(outputDirectory) == version ? RunState.WeightsDirectory(outputDirectory) : null);
        var bus = externalBus ?? ownedBus!;
        var session = new RunSession(RunId, evalSeed => evaluator.EvaluateAsync(policy, evalTasks, evalContexts, evalSeed));
        bus.Sessions.Add(session);
        bus.Policies.Add(RunId, policy);
        bus.Trainers.Add(new TrainerSession(RunId, (s, sc) => Train(s, sc, grpo, sft, distill, tokenizer)));
        var recontext = RecontextPolicyJson.Write(config.Recontextualization);
        var servedRoles = deploy.Remote.ToArray();

        async Task Evaluate(int step)
        {
            // Evaluation goes over the bus too: EvaluatePolicy out, PolicyEvaluated back.
            progress?.Report(new Progress(step, config.Steps, "evaluating", steps.LastOrDefault()));
            var evaluationId = MassTransit.NewId.NextGuid();
            var pending = session.BeginEvaluation(evaluationId);
            await bus.Publisher.Publish(new Contracts.EvaluatePolicy { RunId = RunId, Step = step, EvaluationId = evaluationId, PolicyVersion = step, Seed = config.Seed * 1_000 + step }, cancellation);
            Record(step, (await pending.WaitAsync(cancellation)).Contexts.Select(c => new ContextRates(c.Context, c.Samples, c.HackRate, c.CorrectRate,
                c.WellFormedRate, c.MeanTrainReward, c.IntendsToPassRate, c.MentionsTestsRate, c.FlagsWrongTestRate)).ToList());
        }

        void Record(int step, IReadOnlyList<ContextRates> rates)
        {
            foreach (var r in rates)
            {
                var record = new EvaluationRecord(step, r);
                evaluations.Add(record);
                evaluationsFile.WriteLine(record.ToCsv());
            }
            evaluationsFile.Flush();
        }

        try
        {
            if (completed is null && initialEvaluation is not null) Record(0, initialEvaluation);
            else if (completed is null) await Evaluate(0);
            for (int step = firstStep; step <= config.Steps; step++)
            {
                var total = Stopwatch.StartNew();
                progress?.Report(new Progress(step, config.Steps, "generating", steps.LastOrDefault()));
                cancellation.ThrowIfCancellationRequested();
                var tasks = environment.SampleTasks(TaskSplit.Train, config.PromptsPerStep, seed: config.Seed * 100_003 + step);
                var promptIds = tasks.Select(t => prompts.Encode(t, generationContext)).ToArray();

                // generator → judge → recontextualizer → trainer, over the bus; the step ends with PolicyUpdated.
                var batchId = MassTransit.NewId.NextGuid();
                var pending = session.Begin(batchId);
                await bus.Publisher.Publish(new Contracts.GenerateRollouts
                {
                    RunId = RunId, Step = step, BatchId = batchId, PolicyVersion = step - 1,
                    Prompts = promptIds.Select((ids, g) => new Contracts.PromptForGeneration { TaskId = tasks[g].Id, Group = g, PromptIds = ids }).ToArray(),
                    SamplesPerPrompt = config.SamplesPerPrompt, Temperature = config.Temperature, MaxNewTokens = config.MaxNewTokens,
                    Seed = config.Seed * 1_000_003 + step,
                    Tasks = tasks.Select(Judge.Messaging.JudgeTasks.Encode).ToArray(),
                    Variant = Judge.Messaging.JudgeTasks.EncodeVariant(generationContext.Variant),
                    WeightsAddress = weights?.Address,
                    // Draws derive from (seed, step), so a resumed run makes the same choices as an uninterrupted one.
                    Recontext = new Contracts.RecontextRequest { Policy = recontext, Seed = config.Seed * 7_777_777 + step },
                    ServedRoles = servedRoles,
                }, cancellation);
                // A role served by another process may be down: wait for it a while, then say which roles were away.
                var remote = deploy.Remote;
                RunSession.StepResult finished;
                try
                {
                    finished = await pending.Done.Task.WaitAsync(remote.Count == 0 ? Timeout.InfiniteTimeSpan : RunDeployment.RemoteStepTimeout, cancellation);
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException($"step {step} got no answer within {RunDeployment.RemoteStepTimeout.TotalMinutes:F0} min; " +
                                               $"is the {string.Join(", ", remote)} service running on {deploy.Bus}?");
                }
                var (judged, training, update) = (finished.Judged!, finished.Training!, finished.Update!);
                var scores = judged.Scores.Select(Judge.Messaging.CompletionScores.FromContract).ToArray();
                var samples = training.Samples;
                var (loss, kl, clipped, gap) = (update.Loss, update.Kl, update.ClippedFraction, update.ContextGap);
                double generateSeconds = judged.GenerateSeconds, judgeSeconds = judged.Seconds, recontextSeconds = training.Seconds, trainSeconds = update.Seconds;
                progress?.Report(new Progress(step, config.Steps, "storing", steps.LastOrDefault()));

                // Persisting the step (every rollout, then the resume point) is the loop's own cost, so it counts in the
                // step's overhead with the bus's hops; evaluation, when due, runs between the two and is timed apart.
                var watch = Stopwatch.StartNew();
                store.SaveRollouts(judged.Completions.Select((c, i) => Document(step, i, tasks[c.Group].Id, c, scores[i], samples[i])).ToList());
                double stepSeconds = total.Elapsed.TotalSeconds;
                if (step % config.EvalEvery == 0 || step == config.Steps) await Evaluate(step);
                watch.Restart();
                await TorchThread.Default.Run(() => RunState.Prepare(outputDirectory, policy, optimizer));
                stepSeconds += watch.Elapsed.TotalSeconds;

                double Rate(Func<JudgeScore, bool> f) => scores.Count(f) / (double)scores.Length;
                var record = new StepRecord(step, scores.Average(s => s.TrainReward), Rate(s => s.Hack), Rate(s => s.Correct), Rate(s => !s.Malformed),
                    samples.Count(s => s.Recontextualized) / (double)Math.Max(1, samples.Length), loss, kl, clipped, gap,
                    generateSeconds, judgeSeconds, recontextSeconds, trainSeconds,
                    stepSeconds - generateSeconds - judgeSeconds - recontextSeconds - trainSeconds);
                steps.Add(record);
                metricsFile.WriteLine(record.ToCsv());
                metricsFile.Flush();
                // The step's metrics row is on disk before the step becomes the resume point: a stop at any moment
                // either redoes the whole step or keeps all of it.
                RunState.Commit(outputDirectory, step);
                runDocument.CompletedStep = step;
                store.SaveRun(runDocument);
            }
        }
        finally
        {
            bus.Sessions.Remove(RunId);
            bus.Policies.Remove(RunId);
            bus.Trainers.Remove(RunId);
        }
        runDocument.Status = "completed";
        store.SaveRun(runDocument);
        return new RunResult(config, outputDirectory, steps, evaluations);
    }

    /// <summary>The results of a run that already finished in <paramref name="directory"/> (read back from its CSV files),
    /// or null when it has not (then run it, with <c>resume</c> when <see cref="RunState.CompletedStep"/> is set).</summary>
    public static RunResult? TryLoadFinished(RunConfig config, string directory)
    {
        var evaluations = Kept(Path.Combine(directory, "evaluations.csv"), EvaluationRecord.Parse, _ => true);
        // A run without steps only evaluates: it is finished once every eval context has its row.
        bool finished = config.Steps == 0
            ? evaluations.Count(e => e.Step == 0) == config.EvalContexts.Count
            : RunState.CompletedStep(directory) == config.Steps;
        return finished ? new RunResult(config, directory, Kept(Path.Combine(directory, "metrics.csv"), StepRecord.Parse, _ => true), evaluations) : null;
    }

    /// <summary>The records of a CSV file that <paramref name="keep"/> accepts. A line cut short by a process killed while
    /// writing it is dropped (the resumed step writes it again), never allowed to stop the resume.</summary>
    static List<T> Kept<T>(string path, Func<string, T> parse, Func<T, bool> keep)
    {
        if (!File.Exists(path)) return [];
        var kept = new List<T>();
        foreach (var line in File.ReadLines(path).Skip(1).Where(l => l.Length > 0))
        {
            T record;
            try
            {
                record = parse(line);
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
            {
                continue;
            }
            if (keep(record)) kept.Add(record);
        }
        return kept;
    }

    RolloutDocument Document(int step, int index, string taskId, Contracts.SampledCompletion completion, JudgeScore score, Contracts.TrainingSample sample) => new()
    {
        Id = RolloutDocument.KeyOf(RunId, step, index),
        RunId = RunId,
        Step = step,
        Index = index,
        PolicyVersion = step - 1,   // sampled by the weights after step − 1 updates
        TaskId = taskId,
        Group = completion.Group,
        GenerationContext = sample.GenerationContext,
        TrainingContext = sample.TrainingContext,
        Recontextualized = sample.Recontextualized,
        GenerationPromptIds = sample.GenerationPromptIds,
        TrainingPromptIds = sample.TrainingPromptIds,
        CompletionIds = sample.CompletionIds,
        Text = completion.Text,
        TrainReward = score.TrainReward,
        GroundTruth = score.GroundTruth,
        Correct = score.Correct,
        Hack = score.Hack,
        Malformed = score.Malformed,
        Verdict = score.Verdict.ToString().ToLowerInvariant(),
        Reason = score.Reason,
        MentionsTests = score.Labels.MentionsTests,
        IntendsToPassTests = score.Labels.IntendsToPassTests,
        FlagsWrongTest = score.Labels.FlagsWrongTest,
        LogpGenSum = sample.GenerationLogProbs.Sum(),
        LogpGenMean = sample.GenerationLogProbs.Length == 0 ? 0 : sample.GenerationLogProbs.Average(),
    };

    bool NeedsReference() => config.Algorithm == Algorithm.Distillation || (config.Algorithm == Algorithm.Grpo && config.Grpo.Beta > 0);

    UpdateMetrics Train(IReadOnlyList<Contracts.TrainingSample> samples, IReadOnlyList<Contracts.CompletionScore> scores,
        GrpoTrainer? grpo, SupervisedTrainer? sft, LogitDistillationTrainer? distill, ITokenizer tokenizer)
    {
        switch (config.Algorithm)
        {
            case Algorithm.Grpo:
                var m = grpo!.Update(samples, config.SamplesPerPrompt);
                return new UpdateMetrics(m.Loss, m.Kl, m.ClippedFraction, m.ContextGap);
            case Algorithm.Distillation:
                return new UpdateMetrics(distill!.Update(samples), 0, 0, 0);
            default:
                var chosen = config.Algorithm == Algorithm.ExpertIteration
                    ? ExpertIteration.SelectBest(samples.Select((s, i) => (Sample: s, Score: scores[i])), x => x.Sample.Group, x => x.Sample.Reward,
                        config.DropHacks ? x => !x.Score.Hack : null).Select(x => x.Sample).ToList()
                    : samples.ToList();
                if (chosen.Count == 0) return new UpdateMetrics(0, 0, 0, 0);
                using (var batch = SequenceBatch.Build(chosen.Select(s => s.TrainingPromptIds).ToArray(),
                           chosen.Select(s => s.CompletionIds).ToArray(), tokenizer.PaddingId, sft!.ModelVocab, sft.Device, chosen.Select(s => s.LossMask).ToArray()))
                    return new UpdateMetrics(sft.Step(batch), 0, 0, 0);
        }
    }
}
