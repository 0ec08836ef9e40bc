using System.Collections.Concurrent;
using Recontext.Contracts;
using Recontext.Generator;
using Recontext.Judge.Abstractions;
using Recontext.Recontextualizer;

namespace Recontext.Runs.Bus;

/// <summary>
/// The in-process side of one run that the roles' consumers work on: the generator, the step's tasks, the recontextualizer, the training function, and the step's results as they arrive. Messages
/// carry ids and token ids; this session is what each role would hold in its own service.
/// </summary>
public sealed class RunSession(string runId, RolloutGenerator generator, PromptContext generationContext,
    TrainingBatchBuilder builder, Func<IReadOnlyList<TrainingSample>, JudgeScore[], (float Loss, float Kl, float Clipped, float Gap)> train, long seed,
    Func<long, Task<IReadOnlyList<Evaluation.ContextRates>>>? evaluate = null)
{
    public string RunId { get; } = runId;
    public RolloutGenerator Generator { get; } = generator;
    public PromptContext GenerationContext { get; } = generationContext;
    public TrainingBatchBuilder Builder { get; } = builder;
    public long Seed { get; } = seed;

    /// <summary>What one step produced, filled in by the consumers in message order.</summary>
    public sealed class StepResult
    {
        /// <summary>The step's tasks, indexed by group (prompt index).</summary>
        public required IReadOnlyList<CodingTask> Tasks { get; init; }
        public required int[][] PromptIds { get; init; }
        public SampledCompletion[] Completions { get; set; } = [];
        public JudgeScore[] Scores { get; set; } = [];
        public IReadOnlyList<JudgedRollout> Rollouts { get; set; } = [];
        public IReadOnlyList<TrainingSample> Samples { get; set; } = [];
        public PolicyUpdated? Update { get; set; }
        public double GenerateSeconds { get; set; }
        public double JudgeSeconds { get; set; }
        public double RecontextSeconds { get; set; }
        public TaskCompletionSource<StepResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    readonly ConcurrentDictionary<Guid, StepResult> batches = new();
    readonly ConcurrentDictionary<Guid, TaskCompletionSource<PolicyEvaluated>> evaluations = new();

    /// <summary>Evaluates the current policy under every eval context (the evaluation role's work).</summary>
    public Task<IReadOnlyList<Evaluation.ContextRates>> Evaluate(long seed) =>
        (evaluate ?? throw new InvalidOperationException($"run {RunId} has no evaluator"))(seed);

    /// <summary>Registers an evaluation the coordinator will await.</summary>
    public Task<PolicyEvaluated> BeginEvaluation(Guid evaluationId)
    {
        var done = new TaskCompletionSource<PolicyEvaluated>(TaskCreationOptions.RunContinuationsAsynchronously);
        evaluations[evaluationId] = done;
        return done.Task;
    }

    public void CompleteEvaluation(PolicyEvaluated result)
    {
        if (evaluations.TryRemove(result.EvaluationId, out var done)) done.TrySetResult(result);
    }
    readonly ConcurrentDictionary<Guid, byte> trained = new();

    public StepResult Begin(Guid batchId, IReadOnlyList<CodingTask> tasks, int[][] promptIds)
    {
        var result = new StepResult { Tasks = tasks, PromptIds = promptIds };
        batches[batchId] = result;
        return result;
    }

    public StepResult Batch(Guid batchId) =>
        batches.TryGetValue(batchId, out var result) ? result : throw new InvalidOperationException($"run {RunId} has no batch {batchId}");

    /// <summary>Trains once per batch: a redelivered TrainingBatchReady must not train twice.</summary>
    public (float Loss, float Kl, float Clipped, float Gap)? TrainOnce(Guid batchId, IReadOnlyList<TrainingSample> samples) =>
        trained.TryAdd(batchId, 0) ? train(samples, Batch(batchId).Scores) : null;

    /// <summary>Runs one role's work on a batch; a failure also fails the step the coordinator awaits (then
    /// rethrows, so the bus records the fault), instead of leaving the run waiting forever.</summary>
    public async Task Guard(Guid batchId, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception error)
        {
            if (batches.TryGetValue(batchId, out var result)) result.Done.TrySetException(error);
            if (evaluations.TryRemove(batchId, out var evaluation)) evaluation.TrySetException(error);
            throw;
        }
    }

    /// <summary>Fails the step waiting on a batch (a role elsewhere reported a fault).</summary>
    public void Fail(Guid batchId, Exception error)
    {
        if (batches.TryRemove(batchId, out var result)) result.Done.TrySetException(error);
    }

    public void Complete(Guid batchId)
    {
        if (batches.TryRemove(batchId, out var result)) result.Done.TrySetResult(result);
    }
}
