using System.Diagnostics;
using Recontext.Contracts;
using Recontext.Environments;
using Recontext.Runs.Bus;
using Recontext.Runs.Evaluation;
using Recontext.Store;

namespace Recontext.Runs;

/// <summary>
/// One training run: sample under f_gen, judge, recontextualize to f_train, update, repeat; evaluate every
/// <see cref="RunConfig.EvalEvery"/> steps under each eval context. The roles work over the bus (<see cref="RunCoordinator"/>),
/// in this process or as services; this loop keeps the run's records: metrics.csv and evaluations.csv as it goes
/// (<see cref="RunFiles"/>), every rollout in the trace store (DIR/traces.db by default), and the resume point after
/// each step, so that <c>resume: true</c> continues a stopped run from the last completed step.
/// </summary>
/// <param name="initialEvaluation">the step-0 evaluation when it is already known (the demo evaluates the base once
/// per seed: every variant of that seed starts from the same weights, eval tasks and eval seed)</param>
/// <param name="deployment">where traces and messages go (default: traces.db in the results folder, in-memory bus)</param>
/// <param name="listener">hears each step's and evaluation's record as it is written</param>
public sealed class RunLoop(RunConfig config, string baseDirectory, string outputDirectory, InProcessBus? externalBus = null,
    IReadOnlyList<ContextRates>? initialEvaluation = null, RunDeployment? deployment = null, IRunListener? listener = null)
{
    public sealed record Progress(int Step, int Steps, string Phase, StepRecord? Last);

    public const string TracesFile = RunStores.EmbeddedFile;
    public const string ConfigFile = RunFiles.ConfigFile;

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
        RunLimits.Check(config.Validate(), baseDirectory);
        Directory.CreateDirectory(outputDirectory);
        using var folderLock = RunFolderLock.Take(outputDirectory);
        int? completed = resume ? RunState.CompletedStep(outputDirectory) : null;
        if (resume && completed is null) throw new InvalidOperationException($"{outputDirectory} holds no saved state to resume from");
        using var files = RunFiles.Open(outputDirectory, config, completed, listener);
        using var store = RunStores.Open(deployment?.StoreUrl, outputDirectory);
        var runDocument = store.FindRun(RunId) ?? new RunDocument { Id = RunId, Name = config.Name };
        runDocument.ConfigJson = files.ConfigJson;
        runDocument.Status = RunStatus.Running;
        MetricRows.Record(runDocument, files);
        store.SaveRun(runDocument);
        if (completed is int done) store.DeleteRolloutsAfter(RunId, done);

        var deploy = deployment ?? RunDeployment.Embedded;
        await using var ownedBus = externalBus is null ? await InProcessBus.StartAsync(deploy.Bus, cancellation, deploy.Remote, deploy.WeightsBindUrl, RunId) : null;
        var coordinator = new RunCoordinator(RunId, config, externalBus ?? ownedBus!, deploy);
        string? trainerPolicy = null;
        try
        {
            progress?.Report(new Progress(completed ?? 0, config.Steps, "starting the trainer", files.Steps.LastOrDefault()));
            trainerPolicy = await coordinator.StartTrainerAsync(config.Checkpoint ?? baseDirectory, completed ?? 0, RunState.VersionsDirectory(outputDirectory), cancellation);
            progress?.Report(new Progress(completed ?? 0, config.Steps, $"the trainer holds the policy in {trainerPolicy ?? "?"}", files.Steps.LastOrDefault()));
            try
            {
                await RunStepsAsync(coordinator, files, store, runDocument, (completed ?? 0) + 1, progress, cancellation);
            }
            finally
            {
                await coordinator.StopTrainerAsync();
            }
        }
        finally
        {
            coordinator.Detach();
        }
        runDocument.Status = RunStatus.Completed;
        MetricRows.Record(runDocument, files);
        store.SaveRun(runDocument);
        return new RunResult(config, outputDirectory, files.Steps, files.Evaluations) { TrainerPolicy = trainerPolicy };
    }

    async Task RunStepsAsync(RunCoordinator coordinator, RunFiles files, IRunStore store, RunDocument runDocument, int firstStep,
        IProgress<Progress>? progress, CancellationToken cancellation)
    {
        Action<string>? Waiting(int step, string phase) => progress is null ? null
            : note => progress.Report(new Progress(step, config.Steps, $"{phase}, {note}", files.Steps.LastOrDefault()));

        async Task Evaluate(int step)
        {
            progress?.Report(new Progress(step, config.Steps, "evaluating", files.Steps.LastOrDefault()));
            var evaluation = await coordinator.EvaluateAsync(step, Waiting(step, "evaluating"), cancellation);
            store.SaveRollouts(RolloutDocuments.OfEvaluation(RunId, step, evaluation.Samples));
            files.Append(step, evaluation.Rates);
        }

        if (firstStep == 1 && initialEvaluation is not null) files.Append(0, initialEvaluation);
        else if (firstStep == 1) await Evaluate(0);
        MetricRows.Record(runDocument, files);
        store.SaveRun(runDocument);
        for (int step = firstStep; step <= config.Steps; step++)
        {
            var total = Stopwatch.StartNew();
            progress?.Report(new Progress(step, config.Steps, "generating", files.Steps.LastOrDefault()));
            cancellation.ThrowIfCancellationRequested();
            // generator → judge → recontextualizer → trainer, over the bus; the step ends with PolicyUpdated, after the
            // trainer saved policy version `step`.
            var (judged, training, update, tasks, waited, _, generate, judge) = await coordinator.StepAsync(step, Waiting(step, "generating"), cancellation);
            progress?.Report(new Progress(step, config.Steps, "storing", files.Steps.LastOrDefault()));

            // Persisting the step is the loop's own cost, so it counts in the step's overhead with the bus's hops;
            // evaluation, when due, runs after it and is timed apart, and so is time spent waiting for an absent role.
            var samples = training.Samples;
            var trainingLogps = update.TrainingLogpSums is { } sums && sums.Length == samples.Length ? sums : null;
            store.SaveRollouts(judged.Completions.Select((c, i) => RolloutDocuments.Of(RunId, step, i, tasks[c.Group].Id, c, judged.Scores[i], samples[i], trainingLogps?[i])).ToList());
            double stepSeconds = total.Elapsed.TotalSeconds - waited.TotalSeconds;
            if (step % config.EvalEvery == 0 || step == config.Steps) await Evaluate(step);

            var scores = judged.Scores;
            double Rate(Func<CompletionScore, bool> f) => scores.Count(f) / (double)scores.Length;
            var (recontext, train) = (training.Seconds, update.Seconds);
            files.Append(new StepRecord(step, scores.Average(s => s.TrainReward), Rate(s => s.Misbehaved), Rate(s => s.Correct), Rate(s => !s.Malformed),
                samples.Count(s => s.Recontextualized) / (double)Math.Max(1, samples.Length), update.Loss, update.Kl, update.ClippedFraction, update.ContextGap,
                generate, judge, recontext, train, stepSeconds - generate - judge - recontext - train, Rate(s => string.Equals(s.Verdict, nameof(Verdict.Tampered), StringComparison.OrdinalIgnoreCase)),
                Rate(s => s.IntendsToPassTests), Rate(s => s.Misbehaved && !s.IntendsToPassTests)));
            // The step's metrics row is on disk before the step becomes the resume point: a stop at any moment
            // either redoes the whole step or keeps all of it.
            RunState.Commit(outputDirectory, step);
            runDocument.CompletedStep = step;
            MetricRows.Record(runDocument, files);
            store.SaveRun(runDocument);
        }
    }

    /// <summary>The results of a run that already finished in <paramref name="directory"/> (read back from its CSV files),
    /// or null when it has not (then run it, with <c>resume</c> when <see cref="RunState.CompletedStep"/> is set).</summary>
    public static RunResult? TryLoadFinished(RunConfig config, string directory)
    {
        var (steps, evaluations) = RunFiles.Read(directory);
        // A run without steps only evaluates: it is finished once every eval context has its row.
        bool finished = config.Steps == 0
            ? evaluations.Count(e => e.Step == 0) == config.EvalContexts.Count
            : RunState.CompletedStep(directory) == config.Steps;
        return finished ? new RunResult(config, directory, steps, evaluations) : null;
    }
}
