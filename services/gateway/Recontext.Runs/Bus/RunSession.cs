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

    /// <summary>What one batch's events brought, recorded as they arrive. The batch may travel as chunks of prompt
    /// groups (<see cref="GenerateRollouts.Chunks"/>): it is judged when every chunk is, and then gathered into one
    /// batch in group order. A training batch is done when the gathered batch, the training batch and the policy
    /// update are all in (their queues deliver them in any order); an evaluation batch when it is judged.</summary>
    public sealed class StepResult(GenerateRollouts batch, int chunks)
    {
        /// <summary>A gap between two of the batch's events that its role did not spend working, from this long on,
        /// is waiting (the role's service away or busy elsewhere), not the loop's overhead.</summary>
        public static readonly TimeSpan WaitThreshold = TimeSpan.FromSeconds(1);

        readonly HashSet<int> generated = [];
        readonly SortedDictionary<int, RolloutsJudged> judged = [];

        /// <summary>The whole batch's request (every group), as the coordinator made it.</summary>
        public GenerateRollouts Batch { get; } = batch;

        public int Chunks { get; } = chunks;

        /// <summary>Which generators drew the batch's chunks (one entry per chunk, in the order they arrived).</summary>
        public List<string> Workers { get; } = [];

        public bool Generated => generated.Count == Chunks;
        /// <summary>The whole batch judged: every chunk's completions and scores in group order.</summary>
        public RolloutsJudged? Judged { get; private set; }
        public TrainingBatchReady? Training { get; private set; }
        public PolicyUpdated? Update { get; set; }
        public TaskCompletionSource<StepResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When the batch's last event arrived (or the batch was sent).</summary>
        public DateTime LastEventUtc { get; internal set; } = DateTime.UtcNow;

        /// <summary>Time the batch waited for its roles (see <see cref="WaitThreshold"/>).</summary>
        public TimeSpan Waited { get; internal set; }

        /// <summary>Of <see cref="Waited"/>, how long for each role.</summary>
        public Dictionary<string, TimeSpan> WaitedFor { get; } = [];

        /// <summary>When the coordinator sent the batch, when its last chunk was sampled, when its last was judged.</summary>
        public DateTime SentUtc { get; } = DateTime.UtcNow;
        public DateTime? GeneratedUtc { get; private set; }
        public DateTime? JudgedUtc { get; private set; }

        /// <summary>The wall time of the batch's generation (sent → last chunk sampled) and of the judging that did not
        /// overlap it (→ last chunk judged), less the time either waited for an absent role: with chunks shared among
        /// replicas the roles' own seconds add up to more than the step took, these never do.</summary>
        public (double Generate, double Judge) PhaseSeconds()
        {
            var judged = JudgedUtc ?? DateTime.UtcNow;
            var generated = GeneratedUtc is { } g && g < judged ? g : judged;
            double generate = (generated - SentUtc - WaitedFor.GetValueOrDefault(ServiceRoles.Generator)).TotalSeconds;
            double judge = (judged - generated - WaitedFor.GetValueOrDefault(ServiceRoles.Judge)).TotalSeconds;
            return (Math.Max(0, generate), Math.Max(0, judge));
        }

        /// <summary>The role whose answer the batch awaits now.</summary>
        public string PendingRole => Judged is null ? (Generated ? ServiceRoles.Judge : ServiceRoles.Generator)
            : Training is null ? ServiceRoles.Recontextualizer : ServiceRoles.Trainer;

        internal bool Trains => !Batch.Evaluation;

        internal bool Complete => Judged is not null && (!Trains || (Training is not null && Update is not null));

        /// <summary>Records a generated chunk (a redelivered chunk counts once).</summary>
        public void AddGenerated(RolloutsGenerated chunk)
        {
            if (!generated.Add(chunk.Request.Chunk)) return;
            Workers.Add(chunk.Worker);
            if (generated.Count == Chunks) GeneratedUtc = DateTime.UtcNow;
        }

        /// <summary>The chunk is sampled and its scores have not come back: a (re)delivered chunk is sent to the judge
        /// again, so a forward lost to a broker outage is made good (the judge's answer counts once).</summary>
        public bool AwaitsJudgement(int chunk) => Judged is null && !judged.ContainsKey(chunk);

        /// <summary>The whole batch is judged and trained on, but its training batch has not come back.</summary>
        public bool AwaitsRecontextualization => Trains && Judged is not null && Training is null;

        /// <summary>The training batch is in and the policy update is not.</summary>
        public bool AwaitsUpdate => Training is not null && Update is null;

        /// <summary>Records the recontextualized batch (the first delivery's: it is trained on once).</summary>
        public void AddTraining(TrainingBatchReady batch) => Training ??= batch;

        /// <summary>Records a judged chunk; true when it was the last one, and <see cref="Judged"/> now holds the whole
        /// batch (once: a redelivered chunk changes nothing).</summary>
        public bool AddJudged(RolloutsJudged chunk)
        {
            if (Judged is not null || !judged.TryAdd(chunk.Request.Chunk, chunk) || judged.Count < Chunks) return false;
            JudgedUtc = DateTime.UtcNow;
            var parts = judged.Values.ToList();
            Judged = parts[0] with
            {
                Completions = parts.SelectMany(p => p.Completions).ToArray(),
                Scores = parts.SelectMany(p => p.Scores).ToArray(),
                Seconds = parts.Sum(p => p.Seconds),
                GenerateSeconds = parts.Sum(p => p.GenerateSeconds),
                Request = Batch,
            };
            return true;
        }
    }

    readonly ConcurrentDictionary<Guid, StepResult> batches = new();
    readonly ConcurrentDictionary<Guid, TaskCompletionSource<object>> requests = new();

    /// <summary>Registers a batch the coordinator will await (trained on unless it is an evaluation batch), sent as
    /// <paramref name="chunks"/> chunks.</summary>
    public StepResult Begin(GenerateRollouts batch, int chunks = 1) => batches[batch.BatchId] = new StepResult(batch, chunks);

    /// <summary>Records one of a batch's events; the last one needed completes it. Events of batches this session
    /// no longer awaits (a redelivery after the step ended) are ignored.</summary>
    /// <param name="roleSeconds">how long the role that sent the event worked on the batch</param>
    /// <returns>what <paramref name="record"/> returned; default when the batch is not awaited</returns>
    public T? Record<T>(Guid batchId, double roleSeconds, Func<StepResult, T> record)
    {
        if (!batches.TryGetValue(batchId, out var result)) return default;
        T answer;
        lock (result)
        {
            var now = DateTime.UtcNow;
            var idle = now - result.LastEventUtc - TimeSpan.FromSeconds(roleSeconds);
            if (idle >= StepResult.WaitThreshold)
            {
                result.Waited += idle;
                var role = result.PendingRole;
                result.WaitedFor[role] = result.WaitedFor.GetValueOrDefault(role) + idle;
            }
            result.LastEventUtc = now;
            answer = record(result);
            if (!result.Complete) return answer;
        }
        if (batches.TryRemove(batchId, out _)) result.Done.TrySetResult(result);
        return answer;
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
