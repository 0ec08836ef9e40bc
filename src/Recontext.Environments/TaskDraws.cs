namespace Recontext.Environments;

/// <summary>What every generated setting's <see cref="IEnvironment.SampleTasks"/> starts with: a checked count and a
/// random stream of its own per (seed, split), salted per setting so two settings never draw in step.</summary>
public static class TaskDraws
{
    /// <exception cref="ArgumentException">a negative count</exception>
    public static Random Stream(TaskSplit split, int count, long seed, int salt)
    {
        if (count < 0) throw new ArgumentException($"count must be >= 0, got {count}");
        // Spelled out rather than HashCode.Combine, which is salted per process: tasks must agree across processes.
        return new Random(unchecked((int)(seed * 1_000_003 + (int)split * 7_919 + salt)));
    }
}
