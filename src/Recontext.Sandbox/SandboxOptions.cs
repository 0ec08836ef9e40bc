namespace Recontext.Sandbox;

/// <summary>How the sandbox runs programs.</summary>
public sealed record SandboxOptions
{
    public SandboxLimits Limits { get; init; } = new();

    /// <summary>Warm (a forked child of a warm interpreter per completion, the default) or cold (a fresh sandbox each).</summary>
    public SandboxIsolation Isolation { get; init; } = SandboxIsolation.Warm;

    /// <summary>Executions run at once (one dedicated worker thread each). Default: one per core.</summary>
    public int Concurrency { get; init; } = Environment.ProcessorCount;

    /// <summary>Interpreter inside the sandbox; must live under /usr, the only host tree the sandbox sees.</summary>
    public string PythonPath { get; init; } = "/usr/bin/python3";

    /// <summary>When running as root, each worker slot runs as its own uid/gid at or above this one (unique per
    /// sandbox and process: FirstUid + (pid mod 4096)·256 + slot), so each slot has its own process limit.</summary>
    public int FirstUid { get; init; } = 200_000;

    public SandboxOptions Validate()
    {
        Limits.Validate();
        if (Concurrency < 1) throw new ArgumentException($"sandbox concurrency must be >= 1, got {Concurrency}");
        if (!PythonPath.StartsWith("/usr/", StringComparison.Ordinal))
            throw new ArgumentException($"sandbox pythonPath must be under /usr (only /usr is visible inside the sandbox), got '{PythonPath}'");
        if (FirstUid < 100_000) throw new ArgumentException($"sandbox firstUid must be >= 100000 (above ordinary and nobody uids), got {FirstUid}");
        if (Concurrency > 64) throw new ArgumentException($"sandbox concurrency must be <= 64, got {Concurrency}");
        return this;
    }
}
