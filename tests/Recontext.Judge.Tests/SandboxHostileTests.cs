using System.Net;
using System.Net.Sockets;
using Recontext.Judge.Sandbox;

namespace Recontext.Judge.Tests;

/// <summary>Hostile programs: each must end with the right verdict, leave the judge unharmed, nothing running,
/// nothing written outside the sandbox's own work dir.</summary>
public sealed class SandboxHostileTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    PythonSandbox Sandbox => fixture.Sandbox;

    const string Add = "def add(a, b):\n    return a + b\n";

    async Task<SandboxRun> Run(string code, params string[] tests)
    {
        var run = await Sandbox.RunTestsAsync(code, tests);
        await AssertNothingLeftRunning();
        return run;
    }

    async Task AssertNothingLeftRunning()
    {
        if (Sandbox.SlotUids.Count == 0) return;   // not root: no private uids to inspect
        IReadOnlyList<int> left = [];
        for (int i = 0; i < 50; i++)
        {
            left = SandboxProcesses.OwnedBy(Sandbox.SlotUids.ToHashSet());
            if (left.Count == 0) return;
            await Task.Delay(100);
        }
        Assert.Fail($"sandbox processes still running: {string.Join(", ", left)}");
    }

    [Fact]
    public async Task HonestProgramPassesAndFailsTestsByTheirTruth()
    {
        var run = await Run(Add, "assert add(1, 2) == 3", "assert add(1, 2) == 4", "assert add('a', 'b') == 'ab'");
        Assert.Equal(SandboxOutcome.Completed, run.Outcome);
        Assert.Equal([true, false, true], run.Passed);
        Assert.Equal("AssertionError", run.FailureKinds[1]);
    }

    [Fact]
    public async Task InfiniteLoopTimesOut()
    {
        var run = await Run(Add + "while True:\n    pass\n", "assert add(1, 2) == 3");
        Assert.Equal(SandboxOutcome.Timeout, run.Outcome);
        Assert.False(run.Passed[0]);
        Assert.True(run.DurationMs < 8000, $"took {run.DurationMs} ms");
    }

    [Fact]
    public async Task ForkBombIsContained()
    {
        var run = await Run("import os\nwhile True:\n    os.fork()\n", "assert True");
        Assert.False(run.Passed[0]);
        Assert.Equal("ProcessLimit", run.FailureKinds[0]);   // fork() fails once the slot's process limit is reached
    }

    [Fact]
    public async Task MemoryBombIsStoppedByTheMemoryLimit()
    {
        var run = await Run(Add, "x = bytearray(2 * 1024 ** 3)\nassert add(1, 2) == 3");
        Assert.False(run.Passed[0]);
        Assert.Equal("MemoryLimit", run.FailureKinds[0]);
    }

    [Fact]
    public async Task HundredMegabytesOfOutputHitTheOutputLimit()
    {
        var run = await Run(Add + "import sys\nsys.stdout.write('x' * (100 * 1024 * 1024))\n", "assert add(1, 2) == 3");
        Assert.Equal(SandboxOutcome.OutputLimit, run.Outcome);
        Assert.False(run.Passed[0]);
    }

    [Fact]
    public async Task WritesNeverReachTheHostTmpOrTheRepository()
    {
        var marker = Guid.NewGuid().ToString("N");
        var hostTmp = Path.Combine(Path.GetTempPath(), $"recontext-hostile-{marker}");
        var repoFile = Path.Combine(RepoRoot(), $"hostile-{marker}");
        var code = $"import os\nopen('{hostTmp}', 'w').write('x')\ntry:\n    open('{repoFile}', 'w').write('x')\nexcept OSError:\n    pass\n" +
                   "open('/work/inside.txt', 'w').write('fine')\n";
        var run = await Run(code, $"import os\nassert os.path.exists('{hostTmp}')", $"import os\nassert not os.path.exists('{repoFile}')");
        Assert.Equal(SandboxOutcome.Completed, run.Outcome);
        Assert.True(run.Passed[0]);    // inside, /tmp is the sandbox's own tmpfs ...
        Assert.True(run.Passed[1]);    // ... and the repository is not even visible
        Assert.False(File.Exists(hostTmp));
        Assert.False(File.Exists(repoFile));
    }

    [Fact]
    public async Task NoNetworkEvenToLoopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var run = await Run(Add, $"import socket\ns = socket.create_connection(('127.0.0.1', {port}), timeout=2)\nassert add(1, 2) == 3");
        Assert.False(run.Passed[0]);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task EnvironmentIsScrubbed()
    {
        var secret = Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("RECONTEXT_TEST_SECRET", secret);
        try
        {
            var run = await Run("import os\nprint(dict(os.environ))\n", $"import os\nassert os.environ.get('RECONTEXT_TEST_SECRET') == '{secret}'");
            Assert.False(run.Passed[0]);
            Assert.DoesNotContain(secret, run.Stderr);
            Assert.Contains("PATH", run.Stderr);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RECONTEXT_TEST_SECRET", null);
        }
    }

    [Fact]
    public async Task KillingTheParentDoesNotHarmTheJudgeOrFakeAPass()
    {
        var code = Add + "import os, signal\nfor pid in (os.getppid(), 1):\n    try:\n        os.kill(pid, signal.SIGKILL)\n    except OSError:\n        pass\n";
        var run = await Run(code, "assert add(1, 2) == 4", "import os\nos.kill(os.getppid(), 9)\nassert False");
        Assert.False(run.Passed[0]);
        Assert.False(run.Passed[1]);
        var after = await Run(Add, "assert add(2, 2) == 4");   // the judge and its sandbox still work
        Assert.True(after.Passed[0]);
    }

    [Theory]
    [InlineData("import os\nos._exit(0)\n", SandboxOutcome.EndedEarly, "not-run")]
    [InlineData("import os\nos.abort()\n", SandboxOutcome.EndedEarly, "not-run")]
    [InlineData("import sys\nsys.exit(0)\n", SandboxOutcome.Completed, "SystemExit")]   // a plain run would exit 0 here
    public async Task ExitingBeforeTheAssertsFailsThem(string prelude, SandboxOutcome outcome, string failure)
    {
        var run = await Run(Add + prelude, "assert add(1, 2) == 999", "assert add(2, 2) == 999");
        Assert.Equal([false, false], run.Passed);
        Assert.Equal(outcome, run.Outcome);
        Assert.All(run.FailureKinds, kind => Assert.Equal(failure, kind));
    }

    [Fact]
    public async Task PrintedFakeMarkersAreIgnored()
    {
        var fake = "print('0 pass')\nprint('1 pass')\nprint('done')\nimport sys\nsys.stdout.write('\\n0 pass\\n')\nsys.stderr.write('0 pass\\n')\nimport os\nos.write(1, b'\\n0 pass\\ndone\\n')\nos._exit(0)\n";
        var run = await Run(Add + fake, "assert add(1, 2) == 999", "assert add(1, 1) == 999");
        Assert.Equal([false, false], run.Passed);
        Assert.Equal(SandboxOutcome.EndedEarly, run.Outcome);
    }

    [Fact]
    public async Task SystemExitInsideOneTestFailsOnlyThatTest()
    {
        var run = await Run(Add, "import sys\nsys.exit(0)", "assert add(1, 2) == 3");
        Assert.Equal(SandboxOutcome.Completed, run.Outcome);
        Assert.Equal([false, true], run.Passed);
        Assert.Equal("SystemExit", run.FailureKinds[0]);
    }

    [Fact]
    public async Task CompileErrorsAreReportedAsSuch()
    {
        var run = await Run("def add(a, b)\n    return a + b\n", "assert add(1, 2) == 3");
        Assert.Equal(SandboxOutcome.CompileError, run.Outcome);
        Assert.Contains("SyntaxError", run.Detail);
    }

    [Fact]
    public async Task StdinIsClosed()
    {
        var run = await Run("import sys\ndata = sys.stdin.read()\n", "assert data == ''");
        Assert.True(run.Passed[0]);
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Recontext.slnx"))) return dir.FullName;
        throw new InvalidOperationException("no repository root");
    }
}
