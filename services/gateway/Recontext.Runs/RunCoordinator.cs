using System.Diagnostics;
using MassTransit;
using Recontext.Contracts;
using Recontext.Environments;
using Recontext.Judge.Messaging;
using Recontext.Prompts;
using Recontext.Recontextualizer;
using Recontext.Runs.Bus;
using Recontext.Runs.Evaluation;
using Recontext.Trainer;
using Recontext.Trainer.Messaging;

namespace Recontext.Runs;

/// <summary>
/// The coordinator of one run: draws the tasks, renders f_gen, and drives the roles over the bus — the trainer's
/// start and stop, each step's batch (generator → judge → recontextualizer → trainer) and each evaluation
/// (generator → judge under every eval context). It holds no tensors: every role gets its inputs from its message.
/// </summary>
public sealed class RunCoordinator
{
    readonly RunConfig config;
    readonly InProcessBus bus;
    readonly RunSession session;
    readonly RunDeployment deployment;
    readonly RunSeeds seeds;
    readonly PromptTokens prompts;
    readonly IEnvironment environment;
    readonly ModelText text;
    readonly PromptContext generationContext;
    readonly IReadOnlyList<PromptContext> evalContexts;
    readonly IReadOnlyList<EnvironmentTask> evalTasks;
    readonly string recontextPolicy;
    readonly DetectorSpec? detector;
    string? weightsAddress;

    public string RunId { get; }

    public RunCoordinator(string runId, RunConfig config, InProcessBus bus, RunDeployment deployment)
    {
        RunId = runId;
        this.config = config;
        this.bus = bus;
        this.deployment = deployment;
        seeds = new RunSeeds(config.Seed);
        environment = RunEnvironments.For(config);
        text = ModelText.For(config.Checkpoint);
        prompts = new PromptTokens(environment, text);
        generationContext = config.Recontextualization.Generation.Resolve(environment);
        evalContexts = config.EvalContexts.Select(c => c.Resolve(environment)).ToList();
        evalTasks = environment.SampleTasks(TaskSplit.Eval, config.EvalTasks, seeds.EvalTasks);
        recontextPolicy = RecontextPolicyJson.Write(config.Recontextualization);
        detector = config.Detector is null ? null : DetectorOptions.Spec(config.Detector.Load());
        session = new RunSession(runId);
        bus.Sessions.Add(session);
    }

    /// <summary>What one step's events brought, and how long the step waited for roles served elsewhere.</summary>
    /// <param name="Workers">the generator that drew each chunk</param>
    /// <param name="GenerateSeconds">the wall time of the step's generation (<see cref="RunSession.StepResult.PhaseSeconds"/>)</param>
    /// <param name="JudgeSeconds">the wall time of its judging after the last chunk was sampled</param>
    public sealed record StepOutcome(RolloutsJudged Judged, TrainingBatchReady Training, PolicyUpdated Update, IReadOnlyList<EnvironmentTask> Tasks, TimeSpan Waited,
        IReadOnlyList<string> Workers, double GenerateSeconds, double JudgeSeconds);

    /// <summary>Has the trainer take on the run at <paramref name="version"/> (the start checkpoint, or a resume point).</summary>
    /// <param name="stateDirectory">where an in-process trainer keeps the policy versions</param>
    /// <returns>how the trainer holds the policy (<see cref="TrainingStarted.Policy"/>)</returns>
    public async Task<string?> StartTrainerAsync(string startCheckpoint, int version, string stateDirectory, CancellationToken cancellation)
    {
        var spec = new TrainerSpec
        {
            Algorithm = config.Algorithm, Grpo = config.Grpo, Optimizer = config.Optimizer, SamplesPerPrompt = config.SamplesPerPrompt, DropHacks = config.DropHacks,
            Lora = config.Lora, Seed = config.Seed, Device = config.Device, MicroBatchSize = config.MicroBatchSize,
            GradientCheckpointing = config.GradientCheckpointing, ComputeDtype = config.PolicyDtype,
        };
        var requestId = NewId.NextGuid();
        var answer = session.Expect<TrainingStarted>(requestId);
        await SendAsync(ServiceRoles.Trainer, new StartTraining
        {
            RunId = RunId, RequestId = requestId, Spec = StartTrainingConsumer.Write(spec), StartCheckpoint = Path.GetFullPath(startCheckpoint),
            ResumeVersion = version, ServeWeights = deployment.Remote.Contains(ServiceRoles.Generator),
            StateDirectory = deployment.Remote.Contains(ServiceRoles.Trainer) ? null : Path.GetFullPath(stateDirectory),
        }, null, cancellation);
        var sent = DateTime.UtcNow;
        var started = await AwaitRole(answer, "the trainer's start", () => (ServiceRoles.Trainer, sent), waiting: null, cancellation);
        weightsAddress = started.WeightsAddress;
        return started.Policy;
    }

    /// <summary>Releases the run's policy at the trainer (awaited, so an in-process trainer's tensors are freed on
    /// return). Best effort: a trainer that does not answer within 30 s (a service that is down) is left to itself,
    /// and whatever ended the run stays the error it reports.</summary>
    public async Task StopTrainerAsync()
    {
        var requestId = NewId.NextGuid();
        var answer = session.Expect<TrainingStopped>(requestId);
        try
        {
            await bus.SendAsync(ServiceRoles.Trainer, new StopTraining { RunId = RunId, RequestId = requestId }).WaitAsync(TimeSpan.FromSeconds(30));
            await answer.WaitAsync(TimeSpan.FromSeconds(deployment.Remote.Contains(ServiceRoles.Trainer) ? 30 : 300));
        }
        catch (Exception e) when (e is TimeoutException or MassTransitException or OperationCanceledException)
        {
            // the trainer's service (or the broker) is away: the trainer releases the run's policy when it stops
        }
    }

    /// <summary>One step: sample with policy version step − 1 under f_gen, judge, recontextualize, update.</summary>
    /// <param name="waiting">hears "waiting for the judge since 12:01:03" while a role served elsewhere is silent</param>
    public async Task<StepOutcome> StepAsync(int step, Action<string>? waiting, CancellationToken cancellation)
    {
        var tasks = environment.SampleTasks(TaskSplit.Train, config.PromptsPerStep, seeds.TrainTasks(step));
        var batch = Request(NewId.NextGuid(), step, step - 1, tasks, generationContext, config.SamplesPerPrompt, seeds.Sampling(step), evaluation: false);
        var pending = await SendBatchAsync(batch, config.GroupsPerChunk, waiting, cancellation);
        var done = await AwaitBatch(pending, $"step {step}", waiting, cancellation);
        var (generate, judge) = done.PhaseSeconds();
        return new StepOutcome(done.Judged!, done.Training!, done.Update!, tasks, done.Waited, done.Workers, generate, judge);
    }

    /// <summary>Evaluates policy version <paramref name="version"/>: one completion per held-out task under each eval
    /// context, sampled by the generator and scored by the judge like any batch (never trained on).</summary>
    /// <returns>the rates under each eval context, and the judged samples they come from</returns>
    public async Task<EvaluationOutcome> EvaluateAsync(int version, Action<string>? waiting, CancellationToken cancellation)
    {
        // An evaluation chunk holds as many rollouts as a training chunk: one sample of each of that many tasks.
        int? tasksPerChunk = config.GroupsPerChunk * config.SamplesPerPrompt;
        var batches = new List<(PromptContext Context, GenerateRollouts Batch, RunSession.StepResult Pending)>();
        foreach (var context in evalContexts)
        {
            var batch = Request(NewId.NextGuid(), version, version, evalTasks, context, 1, seeds.EvalSampling(version), evaluation: true);
            batches.Add((context, batch, await SendBatchAsync(batch, tasksPerChunk, waiting, cancellation)));
        }
        var rates = new List<ContextRates>();
        var samples = new List<EvaluationSamples>();
        foreach (var (context, batch, pending) in batches)
        {
            var judged = (await AwaitBatch(pending, $"the evaluation after step {version}", waiting, cancellation)).Judged!;
            rates.Add(ContextRates.Of(context.Name, judged.Scores.Select(CompletionScores.FromContract).ToList()));
            samples.Add(new EvaluationSamples(context.Name, batch, judged));
        }
        return new EvaluationOutcome(rates, samples);
    }

    /// <summary>Registers a batch and sends it to the generators' queue in chunks (<see cref="GenerationChunks"/>).</summary>
    async Task<RunSession.StepResult> SendBatchAsync(GenerateRollouts batch, int? groupsPerChunk, Action<string>? waiting, CancellationToken cancellation)
    {
        var chunks = GenerationChunks.Split(batch, groupsPerChunk);
        var pending = session.Begin(batch, chunks.Count);
        foreach (var chunk in chunks) await SendAsync(ServiceRoles.Generator, chunk, waiting, cancellation);
        return pending;
    }

    /// <summary>Sends a command to the queue of the role that serves it, riding out a broker that is away (restarting, unreachable): tried again every
    /// second, saying so, until the deployment's wait limit. Every role is idempotent on its batch, so a command that
    /// did reach the broker before an error was reported does no harm when it arrives twice.</summary>
    async Task SendAsync<T>(string role, T message, Action<string>? waiting, CancellationToken cancellation) where T : class
    {
        var since = DateTime.UtcNow;
        while (true)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                attempt.CancelAfter(TimeSpan.FromSeconds(30));   // a publish blocked on a dead connection counts as failed
                await bus.SendAsync(role, message, attempt.Token);
                return;
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested)
            {
                if (DateTime.UtcNow - since >= deployment.RoleWaitLimit)
                    throw new TimeoutException($"the broker {deployment.Bus} took no message for {deployment.RoleWaitLimit.TotalSeconds:F0} s (the wait limit): {e.Message}", e);
                waiting?.Invoke($"waiting for the broker since {since.ToLocalTime():HH:mm:ss} ({e.GetType().Name}: {e.Message})");
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            }
        }
    }

    GenerateRollouts Request(Guid batchId, int step, int version, IReadOnlyList<EnvironmentTask> tasks, PromptContext context, int samples, long seed, bool evaluation) => new()
    {
        RunId = RunId, Step = step, BatchId = batchId, PolicyVersion = version,
        Prompts = tasks.Select((t, g) => new PromptForGeneration { TaskId = t.Id, Group = g, PromptIds = prompts.Encode(t, context) }).ToArray(),
        SamplesPerPrompt = samples, Temperature = config.Temperature, MaxNewTokens = config.MaxNewTokens, Seed = seed,
        Tasks = tasks.Select(t => JudgeTasks.Encode(environment, t)).ToArray(),
        Variant = JudgeTasks.EncodeVariant(context.Variant),
        WeightsAddress = weightsAddress,
        ModelFolder = text.Folder,
        ComputeDtype = config.PolicyDtype,
        Evaluation = evaluation,
        Detector = detector,
        MonitorPenalty = evaluation ? 0 : config.MonitorPenalty,
        Recontext = new RecontextRequest { Policy = recontextPolicy, Seed = seeds.Recontext(step) },
    };

    /// <summary>How long a role served elsewhere may stay silent before the run says it is waiting for it (half the
    /// wait limit when that is shorter).</summary>
    public static readonly TimeSpan WaitNotice = TimeSpan.FromSeconds(10);

    /// <summary>Awaits an answer. A role served by another process may be away: after <see cref="WaitNotice"/> of
    /// silence the run says which role it waits for and since when (<paramref name="waiting"/>), and after the
    /// deployment's wait limit it fails naming that role.</summary>
    /// <param name="pending">the role the answer waits on now, and since when nothing has arrived</param>
    async Task<T> AwaitRole<T>(Task<T> answer, string what, Func<(string Role, DateTime SinceUtc)> pending, Action<string>? waiting, CancellationToken cancellation)
    {
        while (true)
        {
            var tick = Task.Delay(Min(WaitNotice, deployment.RoleWaitLimit) / 8, cancellation);
            if (await Task.WhenAny(answer, tick) == answer) return await answer;
            await tick;   // throws when cancelled
            var (role, since) = pending();
            if (!deployment.Remote.Contains(role)) continue;   // a role of this process is working, not away
            var silent = DateTime.UtcNow - since;
            if (silent >= deployment.RoleWaitLimit)
                throw new TimeoutException($"{what}: no answer from the {role} since {since.ToLocalTime():HH:mm:ss} ({deployment.RoleWaitLimit.TotalSeconds:F0} s, " +
                                           $"the wait limit); is the {role} service running on {deployment.Bus}?");
            if (silent >= Min(WaitNotice, deployment.RoleWaitLimit / 2)) waiting?.Invoke($"waiting for the {role} since {since.ToLocalTime():HH:mm:ss}");
        }
    }

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    Task<RunSession.StepResult> AwaitBatch(RunSession.StepResult pending, string what, Action<string>? waiting, CancellationToken cancellation) =>
        AwaitRole(pending.Done.Task, what, () => (pending.PendingRole, pending.LastEventUtc), waiting, cancellation);

    public void Detach() => bus.Sessions.Remove(RunId);
}
