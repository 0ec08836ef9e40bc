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
        /// <summary>A gap between two of the batch's events that its role did not spend working, from this long on,
        /// is waiting (the role's service away or busy elsewhere), not the loop's overhead.</summary>
        public static readonly TimeSpan WaitThreshold = TimeSpan.FromSeconds(1);

        public bool Generated { get; set; }
        public RolloutsJudged? Judged { get; set; }
        public TrainingBatchReady? Training { get; set; }
        public PolicyUpdated? Update { get; set; }
        public TaskCompletionSource<StepResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When the batch's last event arrived (or the batch was sent).</summary>
        public DateTime LastEventUtc { get; internal set; } = DateTime.UtcNow;

        /// <summary>Time the batch waited for its roles (see <see cref="WaitThreshold"/>).</summary>
        public TimeSpan Waited { get; internal set; }

        /// <summary>The role whose answer the batch awaits now.</summary>
        public string PendingRole => !Generated ? ServiceRoles.Generator : Judged is null ? ServiceRoles.Judge
            : Training is null ? ServiceRoles.Recontextualizer : ServiceRoles.Trainer;

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
    /// <param name="roleSeconds">how long the role that sent the event worked on the batch</param>
    public void Record(Guid batchId, double roleSeconds, Action<StepResult> record)
    {
        if (!batches.TryGetValue(batchId, out var result)) return;
        lock (result)
        {
            var now = DateTime.UtcNow;
            var idle = now - result.LastEventUtc - TimeSpan.FromSeconds(roleSeconds);
            if (idle >= StepResult.WaitThreshold) result.Waited += idle;
            result.LastEventUtc = now;
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
