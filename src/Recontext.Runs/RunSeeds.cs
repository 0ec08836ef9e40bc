namespace Recontext.Runs;

/// <summary>
/// Every random draw of a run derives from its seed and the step, here and nowhere else: so a resumed run, a run
/// whose roles are services, and an uninterrupted one-process run make the same draws.
/// </summary>
public sealed record RunSeeds(long Seed)
{
    /// <summary>Which training tasks step <paramref name="step"/> draws.</summary>
    public long TrainTasks(int step) => Seed * 100_003 + step;

    /// <summary>The generator's sampling at step <paramref name="step"/>.</summary>
    public long Sampling(int step) => Seed * 1_000_003 + step;

    /// <summary>The recontextualizer's draws at step <paramref name="step"/> (fraction mode).</summary>
    public long Recontext(int step) => Seed * 7_777_777 + step;

    /// <summary>The held-out tasks every evaluation of the run uses.</summary>
    public long EvalTasks => Seed * 7919 + 17;

    /// <summary>The sampling of the evaluation after step <paramref name="step"/> (0: before training).</summary>
    public long EvalSampling(int step) => Seed * 1_000 + step;
}
