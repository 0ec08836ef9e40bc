using Recontext.Sandbox;

namespace Recontext.Judge.Tests;

/// <summary>What one completion leaves behind in a warm interpreter must be gone before the next one starts. One
/// slot, so consecutive completions meet the same interpreter.</summary>
public sealed class WarmSandboxTests(SingleSlotSandboxFixture fixture) : IClassFixture<SingleSlotSandboxFixture>
{
    PythonSandbox Sandbox => fixture.Sandbox;

    const string Litter = """
        import os, subprocess
        for folder in ('/work', '/tmp', '/dev/shm'):
            os.makedirs(folder + '/left/locked', exist_ok=True)
            open(folder + '/left/file.txt', 'w').write('mine')
            os.chmod(folder + '/left/locked', 0)
            os.chmod(folder + '/left', 0o500)
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                import time
                while True:
                    time.sleep(0.01)
            os._exit(0)
        def litter():
            return 'done'
        """;

    const string Look = """
        import os
        def look():
            files = sorted(f for folder in ('/work', '/tmp', '/dev/shm') for f in os.listdir(folder))
            others = sorted(int(p) for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid()))
            return files, others
        """;

    [Fact]
    public async Task FilesAndProcessesOfOneCompletionAreGoneForTheNext()
    {
        var litter = await Sandbox.RunTestsAsync(Litter, ["assert litter() == 'done'"]);
        Assert.True(litter.Passed[0], $"{litter.Outcome} {litter.Detail} {litter.FailureKinds[0]} {litter.Stderr}");
        var look = await Sandbox.RunTestsAsync(Look, ["assert look() == ([], [])"]);
        Assert.True(look.Passed[0], $"the next completion saw leftovers: {look.FailureKinds[0]} {look.Stderr}");
        Assert.Empty(Sandbox.LeftoverProcesses());
    }

    [Fact]
    public async Task ConsecutiveCompletionsDoNotShareModulesOrGlobals()
    {
        await Sandbox.RunTestsAsync("import json\njson.marker = 'first'\ndef f():\n    return 1\n", ["assert f() == 1"]);
        var second = await Sandbox.RunTestsAsync("import json\ndef f():\n    return getattr(json, 'marker', None)\n", ["assert f() is None"]);
        Assert.True(second.Passed[0], second.FailureKinds[0]);
    }
}
