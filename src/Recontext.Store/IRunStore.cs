namespace Recontext.Store;

/// <summary>
/// Where every trace of a run is kept, and a gateway's experiments. The embedded store (LiteDB, one file) implements
/// it for the one-process default; the MongoDB store the same interface for the services. Writes are idempotent on
/// natural keys.
/// </summary>
public interface IRunStore : IDisposable
{
    void SaveRun(RunDocument run);

    RunDocument? FindRun(string runId);

    void SaveRollouts(IReadOnlyCollection<RolloutDocument> rollouts);

    /// <summary>A run's training rollouts (of one step, or all), or with <paramref name="evaluation"/> its evaluation
    /// samples, in step, eval context and index order.</summary>
    IReadOnlyList<RolloutDocument> Rollouts(string runId, int? step = null, bool evaluation = false);

    /// <summary>Removes rollouts of steps after <paramref name="lastKeptStep"/> (a resumed run redoes them).</summary>
    void DeleteRolloutsAfter(string runId, int lastKeptStep);

    void SaveExperiment(ExperimentDocument experiment);

    ExperimentDocument? FindExperiment(string id);

    /// <summary>Every experiment submitted to gateways on this store, newest first.</summary>
    IReadOnlyList<ExperimentDocument> Experiments();
}
