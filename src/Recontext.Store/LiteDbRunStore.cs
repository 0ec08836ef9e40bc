using LiteDB;

namespace Recontext.Store;

/// <summary>The embedded store: one LiteDB file, collections <c>runs</c>, <c>rollouts</c> (indexed by run and step) and
/// <c>experiments</c>.</summary>
public sealed class LiteDbRunStore : IRunStore
{
    readonly string path;
    readonly LiteDatabase database;
    readonly ILiteCollection<RunDocument> runs;
    readonly ILiteCollection<RolloutDocument> rollouts;
    readonly ILiteCollection<ExperimentDocument> experiments;

    /// <summary>
    /// The stores' one mapper, built for every document type before any store exists. LiteDB builds a type's mapper on
    /// first use and publishes it before its member list is complete, so two stores serializing a type for the first
    /// time on two threads (the demo's runs side by side in one process) could fail with "Collection was modified"
    /// (seen in CI on a run document). Warming it once, in the type initializer, leaves nothing to build concurrently.
    /// Traces keep text exactly: LiteDB's defaults trim every string and store "" as null, which cut the leading space a
    /// byte-level BPE completion usually starts with.
    /// </summary>
    static readonly BsonMapper Mapper = Warmed(new BsonMapper { TrimWhitespace = false, EmptyStringToNull = false });

    static BsonMapper Warmed(BsonMapper mapper)
    {
        // A status is stored by its name, as MongoDB stores it (RunStatuses).
        mapper.RegisterType(status => new BsonValue(status.Name()), value => RunStatuses.Parse(value.AsString));
        mapper.ToDocument(new RunDocument { Steps = [new MetricRow()], Evaluations = [new MetricRow()] });
        mapper.ToDocument(new RolloutDocument());
        mapper.ToDocument(new ExperimentDocument());
        return mapper;
    }

    /// <param name="readOnly">open for reading only (a reader beside the process that writes the file: the dashboard):
    /// it never writes, so it cannot disturb the writer</param>
    public LiteDbRunStore(string path, bool readOnly = false)
    {
        this.path = path;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = readOnly }, Mapper);
        runs = database.GetCollection<RunDocument>("runs");
        rollouts = database.GetCollection<RolloutDocument>("rollouts");
        experiments = database.GetCollection<ExperimentDocument>("experiments");
        if (readOnly) return;
        rollouts.EnsureIndex(r => r.RunId);
        rollouts.EnsureIndex(r => r.Step);
        rollouts.EnsureIndex(r => r.Misbehaved);
    }

    public void SaveRun(RunDocument run) => Guarded(() =>
    {
        run.UpdatedUtc = DateTime.UtcNow;
        runs.Upsert(run);
        // Into the data file at once, not after LiteDB's 8 MB of log: a reader opening the file (the dashboard, another
        // process) sees each step as it is written.
        database.Checkpoint();
    });

    public RunDocument? FindRun(string runId) => Guarded(() => runs.FindById(runId));

    public void SaveRollouts(IReadOnlyCollection<RolloutDocument> batch) => Guarded(() =>
    {
        database.BeginTrans();
        rollouts.Upsert(batch);
        database.Commit();
        database.Checkpoint();
    });

    public IReadOnlyList<RolloutDocument> Rollouts(string runId, int? step = null, bool evaluation = false) => Guarded(() =>
        (step is int s ? rollouts.Find(r => r.RunId == runId && r.Step == s) : rollouts.Find(r => r.RunId == runId))
            // Documents written before the kind existed read back with the default, "train".
            .Where(r => (r.Kind == RolloutDocument.EvalKind) == evaluation)
            .OrderBy(r => r.Step).ThenBy(r => r.EvalContext, StringComparer.Ordinal).ThenBy(r => r.Index).ToList());

    public void DeleteRolloutsAfter(string runId, int lastKeptStep) => Guarded(() => rollouts.DeleteMany(r => r.RunId == runId && r.Step > lastKeptStep));

    public void SaveExperiment(ExperimentDocument experiment) => Guarded(() => experiments.Upsert(experiment));

    // LiteDB hands dates back in local time: the documents say UTC.
    public ExperimentDocument? FindExperiment(string id) => Guarded(() => experiments.FindById(id) is { } found ? InUtc(found) : null);

    public IReadOnlyList<ExperimentDocument> Experiments() => Guarded(() => experiments.FindAll().Select(InUtc).OrderByDescending(e => e.SubmittedUtc).ToList());

    /// <summary>A damaged file shows only when a page is read (a file cut in half opens fine): whatever LiteDB throws then
    /// becomes one error naming the file and what to do.</summary>
    T Guarded<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is LiteException or InvalidCastException or IndexOutOfRangeException or EndOfStreamException)
        {
            throw RunStores.Damaged(path, e);
        }
    }

    void Guarded(Action work) => Guarded(() =>
    {
        work();
        return 0;
    });

    static ExperimentDocument InUtc(ExperimentDocument e)
    {
        e.SubmittedUtc = e.SubmittedUtc.ToUniversalTime();
        e.StartedUtc = e.StartedUtc?.ToUniversalTime();
        e.FinishedUtc = e.FinishedUtc?.ToUniversalTime();
        return e;
    }

    public void Dispose() => database.Dispose();
}
