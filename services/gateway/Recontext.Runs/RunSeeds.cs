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

    /// <summary>The sampling of chunk <paramref name="chunk"/> of a batch whose sampling seed is <paramref name="batchSeed"/>
    /// (see <see cref="GenerationChunks"/>): chunk 0 keeps the batch's seed, so a batch sent whole samples as it always
    /// did; the others get a hash of (batch seed, chunk), so no two chunks of a run share a seed by accident.</summary>
    public static long Chunk(long batchSeed, int chunk)
    {
        if (chunk == 0) return batchSeed;
        // SplitMix64's finalizer: neighbouring (seed, chunk) pairs land far apart.
        ulong z = unchecked((ulong)batchSeed * 0x9E3779B97F4A7C15UL + (ulong)chunk);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (long)((z ^ (z >> 31)) >> 1);
    }
}
