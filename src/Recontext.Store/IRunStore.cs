namespace Recontext.Store;

/// <summary>
/// Where every trace of a run is kept. The embedded store (LiteDB, one file in the results folder) implements it
/// for the one-process default; a MongoDB store will implement the same interface for the services. Writes are
/// idempotent on natural keys.
/// </summary>
public interface IRunStore : IDisposable
{
    void SaveRun(RunDocument run);

    RunDocument? FindRun(string runId);

    void SaveRollouts(IReadOnlyCollection<RolloutDocument> rollouts);

    IReadOnlyList<RolloutDocument> Rollouts(string runId, int? step = null);

    /// <summary>Removes rollouts of steps after <paramref name="lastKeptStep"/> (a resumed run redoes them).</summary>
    void DeleteRolloutsAfter(string runId, int lastKeptStep);
}
