using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Recontext.Sandbox;

/// <summary>
/// Runs model-written Python in bubblewrap: fresh tmpfs work dir, /tmp and /dev/shm (each size capped), only /usr visible read-only,
/// new user/pid/net/ipc/uts namespaces (no network), environment cleared, stdin closed, an unprivileged uid per worker
/// slot, and rlimits on CPU time, address space, processes, file size and open files per completion; the whole tree is
/// killed at the wall-clock deadline. Each completion runs in a child forked from the slot's warm interpreter
/// (<see cref="SandboxIsolation.Warm"/>) or in a sandbox of its own (<see cref="SandboxIsolation.Cold"/>).
///
/// Ground truth cannot be forged by the program it judges: the program's process only evaluates the expressions the
/// tests ask of it (probes) and hands back plain data; each assert runs in the slot's test checker, a separate
/// sandboxed process under another uid that never executes the program's code (see checker.py).
///
/// Executions run on dedicated worker threads (one per slot): bubblewrap's --die-with-parent follows the thread that
/// started it, so that thread must outlive the run. If any of this cannot be set up, construction throws: nothing
/// runs unsandboxed.
/// </summary>
public sealed class PythonSandbox : IDisposable
{
    readonly SandboxOptions options;
    readonly SandboxScripts scripts;
    readonly string bwrap;
    readonly bool asRoot;
    readonly BlockingCollection<Action<Slot>> queue = new();
    readonly Thread[] workers;
    readonly Slot[] slots;
    readonly int firstSlotUid;

    // Sandboxes in one process (and processes on one machine) must never share a uid: RLIMIT_NPROC counts per uid,
    // so a fork bomb in one sandbox would otherwise starve another's runs. Each sandbox takes 2 × Concurrency uids:
    // one per slot for programs, one per slot for its checker.
    static int uidsTaken;

    /// <summary>One worker thread's own processes.</summary>
    sealed class Slot(int index, TestChecker checker, WarmInterpreter? warm) : IDisposable
    {
        public int Index { get; } = index;
        public TestChecker Checker { get; } = checker;
        public WarmInterpreter? Warm { get; } = warm;

        public void Dispose()
        {
            Checker.Dispose();
            Warm?.Dispose();
        }
    }

    public SandboxOptions Options => options;

    public PythonSandbox(SandboxOptions? options = null)
    {
        this.options = (options ?? new SandboxOptions()).Validate();
        if (!OperatingSystem.IsLinux()) throw new SandboxUnavailableException("the sandbox needs Linux (bubblewrap)");
        bwrap = FindOnPath("bwrap") ?? throw new SandboxUnavailableException(
            "bubblewrap (bwrap) is not installed (apt-get install bubblewrap); model-written code is never run without a sandbox");
        if (!File.Exists(this.options.PythonPath)) throw new SandboxUnavailableException($"no Python interpreter at {this.options.PythonPath}");
        foreach (var tool in new[] { "prlimit", "setpriv" })
            if (FindOnPath(tool) is null) throw new SandboxUnavailableException($"'{tool}' (util-linux) is not installed");
        asRoot = Environment.UserName == "root";
        int uids = 2 * this.options.Concurrency;
        int offset = (Interlocked.Add(ref uidsTaken, uids) - uids) % 256;
        if (offset + uids > 256) offset = 0;   // wrapped: a block never straddles the process's 256 uids
        firstSlotUid = this.options.FirstUid + (Environment.ProcessId % 4096) * 256 + offset;
        scripts = new SandboxScripts();

        var checkerTimeout = this.options.Limits.WallTime + TimeSpan.FromSeconds(10);
        slots = Enumerable.Range(0, this.options.Concurrency).Select(slot => new Slot(slot,
            new TestChecker(() => CheckerCommand(slot), checkerTimeout),
            this.options.Isolation == SandboxIsolation.Warm ? new WarmInterpreter(() => WarmCommand(slot), this.options.Limits) : null)).ToArray();
        workers = slots.Select(slot => new Thread(() => Work(slot))
        {
            IsBackground = true,
            Name = $"sandbox-{slot.Index}",
        }).ToArray();
        foreach (var w in workers) w.Start();
        SelfCheck();
    }

    /// <summary>Runs <paramref name="code"/> against each test (each probe after a fresh execution of the code), all
    /// in one sandboxed process, and reports which tests passed.</summary>
    /// <exception cref="InvalidTestException">a test is not Python, or holds more than asserts and standard imports</exception>
    public Task<SandboxRun> RunTestsAsync(string code, IReadOnlyList<string> tests, CancellationToken cancellation = default) =>
        Enqueue(slot => RunTests(slot, code, tests), cancellation);

    SandboxRun RunTests(Slot slot, string code, IReadOnlyList<string> tests)
    {
        var plans = slot.Checker.Plan(code, tests);
        var probes = plans.SelectMany(p => p.Probes).Distinct().ToList();
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var job = new JsonObject { ["nonce"] = nonce, ["code"] = code, ["probes"] = new JsonArray(probes.Select(p => (JsonNode?)p).ToArray()) };
        var limits = options.Limits;
        var outcome = slot.Warm is { } warm
            ? warm.Run(job, ProcessLimit(slot.Index, warm: true))
            : RunCold(slot, [SandboxScripts.PathInside("harness.py")], job.ToJsonString());
        var report = HarnessReport.Interpret(outcome, nonce, probes.Count, limits);
        var stderr = outcome.Stderr.Length > 4000 ? outcome.Stderr[..4000] + "..." : outcome.Stderr;
        if (report.Outcome == SandboxOutcome.CompileError)
            return new SandboxRun(report.Outcome, new bool[tests.Count], Enumerable.Repeat<string?>("not-run", tests.Count).ToArray(),
                report.Detail, stderr, outcome.DurationMs);

        var verdicts = slot.Checker.Check(plans.Select(p => (p, (IReadOnlyList<JsonNode?>)p.Probes.Select(x => report.Values[probes.IndexOf(x)]).ToArray())).ToList());
        var tampered = report.Tampered ?? verdicts.Select(v => v.Tampered).FirstOrDefault(t => t is not null);
        return new SandboxRun(report.Outcome, verdicts.Select(v => v.Passed).ToArray(), verdicts.Select(v => v.Passed ? null : v.Kind ?? "fail").ToArray(),
            report.Detail, stderr, outcome.DurationMs, tampered);
    }

    /// <summary>Runs <paramref name="script"/> as a plain Python program (no harness, no checker) in a sandbox of its
    /// own and returns whether it exited with status 0: the plain-Python reference for test semantics.</summary>
    public Task<PlainRun> RunScriptAsync(string script, CancellationToken cancellation = default) =>
        Enqueue(slot =>
        {
            var outcome = RunCold(slot, ["-"], script);
            return new PlainRun(outcome.ExitCode == 0 && !outcome.TimedOut && !outcome.OutputLimited, outcome.ExitCode, outcome.TimedOut, outcome.Stderr, outcome.DurationMs);
        }, cancellation);

    /// <summary>One program in a sandbox of its own; afterwards the slot's uid is cleared of whatever outlived it.</summary>
    ProcessLauncher.Outcome RunCold(Slot slot, IReadOnlyList<string> pythonArgs, string stdin)
    {
        var outcome = ProcessLauncher.Run(ColdCommand(slot.Index, pythonArgs), stdin, options.Limits.WallTime, options.Limits.MaxOutputBytes);
        ClearSlot(slot);
        return outcome;
    }

    int? SlotUid(int slot) => asRoot ? firstSlotUid + slot : null;

    int? CheckerUid(int slot) => asRoot ? firstSlotUid + options.Concurrency + slot : null;

    /// <summary>A fresh sandbox for one program: the completion's limits on the whole process.</summary>
    List<string> ColdCommand(int slot, IReadOnlyList<string> pythonArgs)
    {
        var limits = options.Limits;
        return SandboxCommand.Build(bwrap, options.PythonPath, scripts.Folder, SlotUid(slot),
            [$"--cpu={limits.CpuSeconds}", $"--as={limits.MemoryBytes}", $"--nproc={ProcessLimit(slot, warm: false)}", $"--fsize={limits.MaxFileBytes}"],
            limits.MaxFileBytes, pythonArgs);
    }

    /// <summary>The warm interpreter: long-lived, so no CPU limit of its own; each forked child sets the completion's.</summary>
    List<string> WarmCommand(int slot) =>
        SandboxCommand.Build(bwrap, options.PythonPath, scripts.Folder, SlotUid(slot), [], options.Limits.MaxFileBytes,
            [SandboxScripts.PathInside("harness.py"), "--serve"]);

    /// <summary>The checker runs only test code on plain values; its own memory cap guards against a test that builds
    /// something huge, and the judge's request timeout against one that loops.</summary>
    List<string> CheckerCommand(int slot) =>
        SandboxCommand.Build(bwrap, options.PythonPath, scripts.Folder, CheckerUid(slot), [$"--as={CheckerMemoryBytes}", "--fsize=0"], 1 << 20,
            [SandboxScripts.PathInside("checker.py")]);

    const long CheckerMemoryBytes = 1L << 30;

    /// <summary>As root each slot's uid is private, so the limit is the sandbox's own (plus, when warm, the two
    /// processes of the slot's warm interpreter: bubblewrap and the server). Otherwise RLIMIT_NPROC counts every
    /// process of the invoking user, so the allowance is added to what that user already runs.</summary>
    int ProcessLimit(int slot, bool warm) =>
        asRoot ? options.Limits.MaxProcesses + (warm ? 2 : 0) : SandboxProcesses.CountOfCurrentUser() + options.Limits.MaxProcesses;

    /// <summary>Processes of the slots' uids other than the warm interpreters themselves: what completions left
    /// running (empty when not root, where slots have no uids of their own).</summary>
    public IReadOnlyList<int> LeftoverProcesses()
    {
        var keep = slots.SelectMany(s => s.Warm?.ProcessIds() ?? []).ToHashSet();
        return SandboxProcesses.OwnedBy(SlotUids.ToHashSet()).Where(pid => !keep.Contains(pid)).ToArray();
    }


    /// <summary>uids the worker slots run as (empty when not root).</summary>
    public IReadOnlyList<int> SlotUids => asRoot ? Enumerable.Range(firstSlotUid, options.Concurrency).ToArray() : [];

    Task<T> Enqueue<T>(Func<Slot, T> work, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.Add(slot =>
        {
            if (cancellation.IsCancellationRequested)
            {
                done.TrySetCanceled(cancellation);
                return;
            }
            try
            {
                done.TrySetResult(work(slot));
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }, cancellation);
        return done.Task;
    }

    void Work(Slot slot)
    {
        foreach (var job in queue.GetConsumingEnumerable())
        {
            job(slot);
        }
        slot.Dispose();   // on this thread: bubblewrap's --die-with-parent is tied to it
    }

    /// <summary>
    /// The kernel tears a pid namespace down asynchronously: right after a fork bomb in a sandbox of its own, the
    /// slot's uid may still own processes that count against its RLIMIT_NPROC and would make the next run fail to
    /// start. Wait for them to go (killing any stragglers) so that every run starts from an empty slot. The slot's
    /// warm interpreter is spared (it clears its own namespace after each child, and nothing leaves a namespace).
    /// </summary>
    void ClearSlot(Slot slot)
    {
        if (!asRoot) return;
        var uid = new[] { firstSlotUid + slot.Index };
        var keep = slot.Warm?.ProcessIds() ?? [];
        var deadline = DateTime.UtcNow.AddSeconds(5);
        IReadOnlyList<int> left;
        while ((left = SandboxProcesses.OwnedBy(uid, includeZombies: true).Except(keep).ToList()).Count > 0 && DateTime.UtcNow < deadline)
        {
            foreach (var pid in left) SandboxProcesses.Kill(pid);
            Thread.Sleep(5);
        }
    }

    void SelfCheck()
    {
        var run = RunTestsAsync("def ok():\n    return 1\n", ["assert ok() == 1", "assert ok() == 2"]).GetAwaiter().GetResult();
        if (run.Outcome != SandboxOutcome.Completed || !run.Passed[0] || run.Passed[1])
        {
            Dispose();
            throw new SandboxUnavailableException(
                $"the sandbox self-check failed ({run.Outcome}: {run.Detail}); stderr: {run.Stderr.Trim()}. " +
                "Needs bubblewrap with user namespaces (kernel.unprivileged_userns_clone=1) and util-linux.");
        }
    }

    static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    public void Dispose()
    {
        queue.CompleteAdding();
        foreach (var w in workers) w.Join(TimeSpan.FromSeconds(30));
        scripts.Dispose();
    }
}

/// <summary>Result of a plain script run.</summary>
public sealed record PlainRun(bool Succeeded, int ExitCode, bool TimedOut, string Stderr, double DurationMs);
