using System.Collections.Concurrent;
using Recontext.Contracts;

namespace Recontext.Runs.Bus;

/// <summary>
/// The coordinator's side of one run: the batches and requests it awaits, completed by the events the roles
/// publish. It holds nothing the roles read: every role gets its inputs from its message.
/// </summary>
public sealed class RunSession(string runId)
{
    public string RunId { get; } = runId;

    /// <summary>What one batch's events brought, recorded as they arrive. A training batch is done when the judged
    /// batch, the training batch and the policy update are all in (their queues deliver them in any order); an
    /// evaluation batch when it is judged.</summary>
    public sealed class StepResult(bool trains)
    {
        public RolloutsJudged? Judged { get; set; }
        public TrainingBatchReady? Training { get; set; }
        public PolicyUpdated? Update { get; set; }
        public TaskCompletionSource<StepResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal bool Complete => Judged is not null && (!trains || (Training is not null && Update is not null));
    }

    readonly ConcurrentDictionary<Guid, StepResult> batches = new();
    readonly ConcurrentDictionary<Guid, TaskCompletionSource<object>> requests = new();

    /// <summary>Registers a training batch the coordinator will await.</summary>
    public StepResult Begin(Guid batchId) => batches[batchId] = new StepResult(trains: true);

    /// <summary>Registers an evaluation batch (generated and judged, never trained on).</summary>
    public StepResult BeginEvaluation(Guid batchId) => batches[batchId] = new StepResult(trains: false);

    /// <summary>Records one of a batch's events; the last one needed completes it. Events of batches this session
    /// no longer awaits (a redelivery after the step ended) are ignored.</summary>
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

    /// <summary>Registers a request (to the trainer) whose answer, of type <typeparamref name="T"/>, the coordinator awaits.</summary>
    public async Task<T> Expect<T>(Guid requestId)
    {
        var answer = requests[requestId] = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        return (T)await answer.Task;
    }

    public void Answer(Guid requestId, object answer)
    {
        if (requests.TryRemove(requestId, out var pending)) pending.TrySetResult(answer);
    }

    /// <summary>Fails the batch or request waiting on an id (a role reported a fault).</summary>
    public void Fail(Guid id, Exception error)
    {
        if (batches.TryRemove(id, out var result)) result.Done.TrySetException(error);
        if (requests.TryRemove(id, out var request)) request.TrySetException(error);
    }
}
