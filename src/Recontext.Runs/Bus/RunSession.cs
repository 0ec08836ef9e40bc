using System.Collections.Concurrent;
using Recontext.Contracts;

namespace Recontext.Runs.Bus;

/// <summary>
/// The coordinator's side of one run: the steps and evaluations it awaits, completed by the events the roles
/// publish. It holds nothing the roles read: every role gets its inputs from its message.
/// </summary>
/// <param name="evaluate">the evaluation role's work in this process (rates per eval context for a seed)</param>
public sealed class RunSession(string runId, Func<long, Task<IReadOnlyList<Evaluation.ContextRates>>>? evaluate = null)
{
    public string RunId { get; } = runId;

    /// <summary>What one step's events brought, recorded as they arrive; done when the judged batch, the training
    /// batch and the policy update are all in (their queues deliver them in any order).</summary>
    public sealed class StepResult
    {
        public RolloutsJudged? Judged { get; set; }
        public TrainingBatchReady? Training { get; set; }
        public PolicyUpdated? Update { get; set; }
        public TaskCompletionSource<StepResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal bool Complete => Judged is not null && Training is not null && Update is not null;
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

    /// <summary>Registers a step the coordinator will await.</summary>
    public StepResult Begin(Guid batchId) => batches[batchId] = new StepResult();

    /// <summary>Records one of the step's events; the last of the three completes the step. Events of batches this
    /// session no longer awaits (a redelivery after the step ended) are ignored.</summary>
    public void Record(Guid batchId, Action<StepResult> record)
    {
        if (!batches.TryGetValue(batchId, out var result)) return;
        lock (result)
        {
            record(result);
            if (!result.Complete) return;
        }
        if (batches.TryRemove(batchId, out _)) result.Done.TrySetResult(result);
    }

    /// <summary>Fails the step or evaluation waiting on an id (a role reported a fault).</summary>
    public void Fail(Guid id, Exception error)
    {
        if (batches.TryRemove(id, out var result)) result.Done.TrySetException(error);
        if (evaluations.TryRemove(id, out var evaluation)) evaluation.TrySetException(error);
    }
}
