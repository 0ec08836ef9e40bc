using Recontext.Sandbox;

namespace Recontext.Judge.Tests;

/// <summary>One sandbox for a test class, with short limits so hostile programs end quickly.</summary>
public abstract class SandboxFixtureBase(SandboxIsolation isolation, int concurrency) : IDisposable
{
    public PythonSandbox Sandbox { get; } = new(new SandboxOptions
    {
        Concurrency = concurrency,
        Isolation = isolation,
        Limits = new SandboxLimits { WallTime = TimeSpan.FromSeconds(4), CpuSeconds = 3, MaxOutputBytes = 256 * 1024 },
    });

    public void Dispose()
    {
        Sandbox.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The judge's default: warm interpreters, two slots.</summary>
public sealed class SandboxFixture() : SandboxFixtureBase(SandboxIsolation.Warm, 2);

/// <summary>A sandbox that starts a fresh bubblewrap sandbox for every completion.</summary>
public sealed class ColdSandboxFixture() : SandboxFixtureBase(SandboxIsolation.Cold, 2);

/// <summary>A warm sandbox with one slot, so consecutive completions share its interpreter.</summary>
public sealed class SingleSlotSandboxFixture() : SandboxFixtureBase(SandboxIsolation.Warm, 1);
