using LiteDB;

namespace Recontext.Store;

/// <summary>The embedded store: one LiteDB file, collections <c>runs</c> and <c>rollouts</c>, indexed by run and step.</summary>
public sealed class LiteDbRunStore : IRunStore
{
    readonly LiteDatabase database;
    readonly ILiteCollection<RunDocument> runs;
    readonly ILiteCollection<RolloutDocument> rollouts;

    public LiteDbRunStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        runs = database.GetCollection<RunDocument>("runs");
        rollouts = database.GetCollection<RolloutDocument>("rollouts");
        rollouts.EnsureIndex(r => r.RunId);
        rollouts.EnsureIndex(r => r.Step);
        rollouts.EnsureIndex(r => r.Hack);
    }

    public void SaveRun(RunDocument run)
    {
        run.UpdatedUtc = DateTime.UtcNow;
        runs.Upsert(run);
    }

    public RunDocument? FindRun(string runId) => runs.FindById(runId);

    public void SaveRollouts(IReadOnlyCollection<RolloutDocument> batch)
    {
        database.BeginTrans();
        rollouts.Upsert(batch);
        database.Commit();
    }

    public IReadOnlyList<RolloutDocument> Rollouts(string runId, int? step = null) =>
        (step is int s ? rollouts.Find(r => r.RunId == runId && r.Step == s) : rollouts.Find(r => r.RunId == runId))
            .OrderBy(r => r.Step).ThenBy(r => r.Index).ToList();

    public void DeleteRolloutsAfter(string runId, int lastKeptStep) => rollouts.DeleteMany(r => r.RunId == runId && r.Step > lastKeptStep);

    public void Dispose() => database.Dispose();
}
