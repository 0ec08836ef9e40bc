namespace Recontext.Sandbox;

/// <summary>Resource limits of one sandboxed execution (all tests of one completion).</summary>
public sealed record SandboxLimits
{
    /// <summary>Wall-clock deadline; the whole process tree is killed then. Default 10 s.</summary>
    public TimeSpan WallTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>CPU seconds (RLIMIT_CPU). Default 5.</summary>
    public int CpuSeconds { get; init; } = 5;

    /// <summary>Address-space bytes (RLIMIT_AS). Default 512 MiB.</summary>
    public long MemoryBytes { get; init; } = 512L << 20;

    /// <summary>Processes of the sandbox user (RLIMIT_NPROC; each concurrent slot has its own user). Default 32.</summary>
    public int MaxProcesses { get; init; } = 32;

    /// <summary>Largest file the program may write (RLIMIT_FSIZE), and the size of its tmpfs work dir and /tmp. Default 4 MiB.</summary>
    public long MaxFileBytes { get; init; } = 4L << 20;

    /// <summary>Most bytes of output captured per stream; more kills the run (verdict error). Default 1 MiB.</summary>
    public int MaxOutputBytes { get; init; } = 1 << 20;

    public SandboxLimits Validate()
    {
        if (WallTime <= TimeSpan.Zero) throw new ArgumentException("sandbox wallTime must be positive");
        if (CpuSeconds <= 0) throw new ArgumentException("sandbox cpuSeconds must be positive");
        if (MemoryBytes < 64L << 20) throw new ArgumentException("sandbox memoryBytes must be at least 64 MiB (Python needs ~30 MiB)");
        if (MaxProcesses < 4) throw new ArgumentException("sandbox maxProcesses must be at least 4 (bubblewrap itself needs some)");
        if (MaxFileBytes <= 0) throw new ArgumentException("sandbox maxFileBytes must be positive");
        if (MaxOutputBytes <= 0) throw new ArgumentException("sandbox maxOutputBytes must be positive");
        return this;
    }
}
