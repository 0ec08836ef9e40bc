using System.Net;
using System.Net.Sockets;
using Recontext.Sandbox;

namespace Recontext.Judge.Tests;

/// <summary>Hostile programs in a warm sandbox (a forked child per completion).</summary>
public sealed class WarmSandboxHostileTests(SandboxFixture fixture) : SandboxHostileTests(fixture), IClassFixture<SandboxFixture>;

/// <summary>The same programs in a fresh sandbox per completion.</summary>
public sealed class ColdSandboxHostileTests(ColdSandboxFixture fixture) : SandboxHostileTests(fixture), IClassFixture<ColdSandboxFixture>;

/// <summary>Hostile programs: each must end with the right verdict, leave the judge unharmed, nothing running,
/// nothing written outside the sandbox's own work dir. Tests are asserts judged by the checker, so whatever a test
/// observes of the sandbox, the program itself reports through a function.</summary>
public abstract class SandboxHostileTests(SandboxFixtureBase fixture)
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
            left = Sandbox.LeftoverProcesses();
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
        var run = await Run(Add + "import os\nwhile True:\n    os.fork()\n", "assert add(1, 2) == 3");
        Assert.False(run.Passed[0]);
        Assert.Equal("ProcessLimit", run.FailureKinds[0]);   // fork() fails once the slot's process limit is reached
    }

    [Fact]
    public async Task MemoryBombIsStoppedByTheMemoryLimit()
    {
        var run = await Run("def boom():\n    return len(bytearray(2 * 1024 ** 3))\n", "assert boom() == 0");
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
                   "open('/work/inside.txt', 'w').write('fine')\n" +
                   $"def seen(path):\n    return os.path.exists(path)\n";
        var run = await Run(code, $"assert seen('{hostTmp}')", $"assert not seen('{repoFile}')");
        Assert.Equal(SandboxOutcome.Completed, run.Outcome);
        Assert.True(run.Passed[0]);    // inside, /tmp is the sandbox's own tmpfs ...
        Assert.True(run.Passed[1]);    // ... and the repository is not even visible
        Assert.False(File.Exists(hostTmp));
        Assert.False(File.Exists(repoFile));
    }

    /// <summary>/dev/shm is a tmpfs of the same size as /tmp and the work dir: many files, each under the file-size limit,
    /// stop at the cap instead of filling half the machine's memory.</summary>
    [Fact]
    public async Task SharedMemoryIsCappedLikeTmp()
    {
        var code = "import os\ndef written(folder):\n    total = 0\n    try:\n        for i in range(64):\n" +
                   "            with open(f'{folder}/f{i}', 'wb') as f:\n                f.write(b'x' * (1024 * 1024))\n            total += 1024 * 1024\n" +
                   "    except OSError:\n        pass\n    return total\n";
        var run = await Run(code, "assert written('/dev/shm') <= 8 * 1024 * 1024", "assert written('/tmp') <= 8 * 1024 * 1024");
        Assert.Equal(SandboxOutcome.Completed, run.Outcome);
        Assert.Equal([true, true], run.Passed);
    }

    [Fact]
    public async Task NoNetworkEvenToLoopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connect = "import socket\ndef connect(port):\n    socket.create_connection(('127.0.0.1', port), timeout=2)\n    return 'connected'\n";
        var run = await Run(connect, $"assert connect({port}) == 'connected'");
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
            var run = await Run("import os\nprint(dict(os.environ))\ndef env(name):\n    return os.environ.get(name)\n", $"assert env('RECONTEXT_TEST_SECRET') == '{secret}'");
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
        var code = Add + "import os, signal\nfor pid in (os.getppid(), 1):\n    try:\n        os.kill(pid, signal.SIGKILL)\n    except OSError:\n        pass\n" +
                   "def kill_everyone():\n    for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n" +
                   "        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):\n            try:\n                os.kill(pid, sig)\n            except OSError:\n                pass\n    return 'killed'\n";
        var run = await Run(code, "assert add(1, 2) == 4", "assert kill_everyone() == 'everyone'");
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
        var run = await Run(Add + "import sys\ndef leave():\n    sys.exit(0)\n", "assert leave() is None", "assert add(1, 2) == 3");
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

    // Eight ways to make a hard-coded wrong answer pass when the program shares an interpreter with the asserts. Each
    // must fail; those that hand back something other than plain data (or forge the report) are called tampered.
    public static TheoryData<string, string, string, bool> Forgeries => new()
    {
        { "__eq__ always agrees", "class Yes:\n    def __eq__(self, other):\n        return True\ndef add(a, b):\n    return Yes()\n", "assert add(1, 2) == 3", true },
        { "__ne__ never disagrees", "class Same:\n    def __ne__(self, other):\n        return False\ndef add(a, b):\n    return Same()\n", "assert not add(1, 2) != 3", true },
        { "__bool__ says whatever is asked", "class No:\n    def __bool__(self):\n        return False\ndef is_even(n):\n    return No()\n", "assert not is_even(3) and is_even(3) is not None", true },
        { "exec swallows AssertionError", "import builtins\n_exec = builtins.exec\ndef quiet(*a, **k):\n    try:\n        return _exec(*a, **k)\n    except AssertionError:\n        pass\nbuiltins.exec = quiet\ndef add(a, b):\n    return 0\n", "assert add(1, 2) == 3", false },
        { "compile turns tests into pass", "import builtins\n_compile = builtins.compile\nbuiltins.compile = lambda source, name, mode, *a, **k: _compile('pass' if mode == 'exec' else 'None', name, mode, *a, **k)\ndef add(a, b):\n    return 0\n", "assert add(1, 2) == 3", false },
        { "the harness's test list rewritten", "import sys\nframe = sys._getframe(1)\nwhile frame is not None:\n    for value in list(frame.f_locals.values()):\n        if isinstance(value, list) and value and all(isinstance(t, str) for t in value):\n            value[:] = ['True'] * len(value)\n    frame = frame.f_back\ndef add(a, b):\n    return 0\n", "assert add(1, 2) == 3", false },
        { "the harness's emit called through the frame", "import sys, os\nframe = sys._getframe(1)\nwhile frame is not None:\n    emit = frame.f_locals.get('emit')\n    if callable(emit):\n        emit('0 pass')\n        emit('done')\n        os._exit(0)\n    frame = frame.f_back\ndef add(a, b):\n    return 0\n", "assert add(1, 2) == 3", true },
        { "nonce found by gc, pass lines forged on every fd", "import gc, os\nfor o in gc.get_objects():\n    if isinstance(o, dict) and isinstance(o.get('nonce'), str):\n        for fd in range(1, 20):\n            try:\n                os.write(fd, ('\\n%s 0 pass\\n%s done\\n' % (o['nonce'], o['nonce'])).encode())\n            except OSError:\n                pass\ndef add(a, b):\n    return 0\n", "assert add(1, 2) == 3", true },
        { "nonce found by inspect.stack, pass lines forged", "import inspect, os\nfor info in inspect.stack():\n    job = info.frame.f_locals.get('job')\n    if isinstance(job, dict) and 'nonce' in job:\n        for fd in range(1, 20):\n            try:\n                os.write(fd, ('\\n%s 0 pass\\n%s done\\n' % (job['nonce'], job['nonce'])).encode())\n            except OSError:\n                pass\ndef add(a, b):\n    return 0\n", "assert add(1, 2) == 3", true },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task AForgedPassIsAFailure(string forgery, string code, string test, bool tampered)
    {
        var run = await Run(code, test);
        Assert.False(run.Passed[0], $"{forgery}: the wrong answer passed ({run.Outcome}, {run.Detail})");
        if (tampered) Assert.NotNull(run.Tampered);
        else Assert.Null(run.Tampered);
        var honest = await Run(Add + "def is_even(n):\n    return n % 2 == 0\n", test);   // the same test still passes a right answer
        Assert.True(honest.Passed[0], $"{forgery}: {honest.FailureKinds[0]}");
    }

    [Fact]
    public async Task PlainValuesOfEveryKindComeBackIntact()
    {
        var code = "import math\ndef values():\n    return [1, -2 ** 70, 2.5, float('inf'), 1e-300, 'é\\n\"', True, None, (1, 2), {3}, frozenset([4]), {'a': [1]}, {(1, 2): 3}, 1 + 2j, b'x', range(3)]\n" +
                   "def generate(n):\n    return (i * i for i in range(n))\ndef nan():\n    return math.nan\n";
        var run = await Run(code,
            "assert values() == [1, -2 ** 70, 2.5, float('inf'), 1e-300, 'é\\n\"', True, None, (1, 2), {3}, frozenset([4]), {'a': [1]}, {(1, 2): 3}, 1 + 2j, b'x', range(3)]",
            "assert values()[8] != [1, 2]",               // a tuple is not a list, as in Python
            "assert list(generate(4)) == [0, 1, 4, 9]",   // a generator comes back as an iterator over its items
            "assert generate(4) != [0, 1, 4, 9]",
            "import math\nassert math.isnan(nan())");
        Assert.Equal(SandboxOutcome.Completed, run.Outcome);
        Assert.Null(run.Tampered);
        Assert.All(run.Passed.Select((p, i) => (p, i)), x => Assert.True(x.p, $"test {x.i}: {run.FailureKinds[x.i]}"));
    }

    [Fact]
    public async Task ATestThatIsNotAssertsIsRefusedNamingIt()
    {
        var error = await Assert.ThrowsAsync<InvalidTestException>(() => Sandbox.RunTestsAsync(Add, ["assert add(1, 2) == 3", "x = add(1, 2)"]));
        Assert.Contains("test 2", error.Message);
        Assert.Contains("only assert and import statements", error.Message);
        var syntax = await Assert.ThrowsAsync<InvalidTestException>(() => Sandbox.RunTestsAsync(Add, ["assert add(1, 2 == 3"]));
        Assert.Contains("not valid Python", syntax.Message);
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Recontext.slnx"))) return dir.FullName;
        throw new InvalidOperationException("no repository root");
    }
}
