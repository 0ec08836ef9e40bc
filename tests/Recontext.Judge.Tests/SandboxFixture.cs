using Recontext.Judge.Sandbox;

namespace Recontext.Judge.Tests;

/// <summary>One sandbox for a test class, with short limits so hostile programs end quickly.</summary>
public sealed class SandboxFixture : IDisposable
{
    public PythonSandbox Sandbox { get; } = new(new SandboxOptions
    {
        Concurrency = 2,
        Limits = new SandboxLimits { WallTime = TimeSpan.FromSeconds(4), CpuSeconds = 3, MaxOutputBytes = 256 * 1024 },
    });

    public void Dispose() => Sandbox.Dispose();
}
