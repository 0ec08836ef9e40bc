using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace Recontext.Judge.Sandbox;

/// <summary>
/// Runs model-written Python in bubblewrap: a separate process per execution, fresh tmpfs work dir and /tmp (size
/// capped), only /usr visible read-only, new user/pid/net/ipc/uts namespaces (no network), environment cleared,
/// stdin closed, an unprivileged uid per worker slot, and rlimits on CPU time, address space, processes, file
/// size and open files; the whole tree is killed at the wall-clock deadline. Executions run on dedicated worker
/// threads (one per slot): bubblewrap's --die-with-parent follows the thread that started it, so that thread
/// must outlive the run. If any of this cannot be set up, construction throws: nothing runs unsandboxed.
/// </summary>
public sealed class PythonSandbox : IDisposable
{
    readonly SandboxOptions options;
    readonly string harnessPath;
    readonly string bwrap;
    readonly bool asRoot;
    readonly BlockingCollection<Action<int>> queue = new();
    readonly Thread[] workers;
    readonly int firstSlotUid;

    // Sandboxes in one process (and processes on one machine) must never share a slot uid: RLIMIT_NPROC counts
    // per uid, so a fork bomb in one sandbox would otherwise starve another's runs.
    static int instances;

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
        int block = Interlocked.Increment(ref instances) - 1;
        firstSlotUid = this.options.FirstUid + (Environment.ProcessId % 4096) * 256 + block * this.options.Concurrency % 256;

        var dir = Directory.CreateTempSubdirectory("recontext-harness-").FullName;
        harnessPath = Path.Combine(dir, "harness.py");
        using (var resource = typeof(PythonSandbox).Assembly.GetManifestResourceStream("Recontext.Judge.Sandbox.harness.py")!)
        using (var file = File.Create(harnessPath)) resource.CopyTo(file);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                  UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(harnessPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        workers = Enumerable.Range(0, this.options.Concurrency).Select(slot => new Thread(() => Work(slot))
        {
            IsBackground = true,
            Name = $"sandbox-{slot}",
        }).ToArray();
        foreach (var w in workers) w.Start();
        SelfCheck();
    }

    /// <summary>Runs <paramref name="code"/> once per test, each test after a fresh execution of the code, all in one
    /// sandboxed process, and reports which tests passed.</summary>
    public Task<SandboxRun> RunTestsAsync(string code, IReadOnlyList<string> tests, CancellationToken cancellation = default)
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var job = JsonSerializer.Serialize(new { nonce, code, tests });
        return Enqueue(slot =>
        {
            var outcome = ProcessLauncher.Run(Command(slot, [HarnessPathInside]), job, options.Limits.WallTime, options.Limits.MaxOutputBytes);
            return HarnessReport.Interpret(outcome, nonce, tests.Count, options.Limits);
        }, cancellation);
    }

    /// <summary>Runs <paramref name="script"/> as a plain Python program (no harness) in the same sandbox and
    /// returns whether it exited with status 0 — the baseline "one fresh process per test".</summary>
    public Task<PlainRun> RunScriptAsync(string script, CancellationToken cancellation = default) =>
        Enqueue(slot =>
        {
            var outcome = ProcessLauncher.Run(Command(slot, ["-"]), script, options.Limits.WallTime, options.Limits.MaxOutputBytes);
            return new PlainRun(outcome.ExitCode == 0 && !outcome.TimedOut && !outcome.OutputLimited, outcome.ExitCode, outcome.TimedOut, outcome.Stderr, outcome.DurationMs);
        }, cancellation);

    const string HarnessPathInside = "/sandbox/harness.py";

    /// <summary>
    /// prlimit → setpriv (root only) → bwrap → python3 -I -S ARGS. Python runs as pid 1 of its namespace
    /// (--as-pid-1): with bubblewrap's own reaper as pid 1, the outer bwrap exits without reaping it and every run
    /// leaves a zombie that the host's init reaps only seconds later, counting against the slot's process limit
    /// meanwhile. As pid 1, Python ignores SIGXCPU, so the CPU limit is a hard one (SIGKILL, exit status 137).
    /// </summary>
    List<string> Command(int slot, IReadOnlyList<string> pythonArgs)
    {
        var limits = options.Limits;
        var command = new List<string>
        {
            "prlimit", $"--cpu={limits.CpuSeconds}", $"--as={limits.MemoryBytes}", $"--nproc={ProcessLimit(slot)}",
            $"--fsize={limits.MaxFileBytes}", "--nofile=64", "--core=0", "--",
        };
        if (asRoot)
        {
            int uid = firstSlotUid + slot;
            command.AddRange(["setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--"]);
        }
        command.AddRange(
        [
            bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--as-pid-1",
            "--uid", "65534", "--gid", "65534",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev",
            "--size", $"{limits.MaxFileBytes}", "--tmpfs", "/tmp",
            "--size", $"{limits.MaxFileBytes}", "--perms", "0777", "--tmpfs", "/work",
            "--ro-bind", harnessPath, HarnessPathInside, "--chdir", "/work",
            "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/work", "--setenv", "LANG", "C.UTF-8",
            "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
            options.PythonPath, "-I", "-S",
        ]);
        command.AddRange(pythonArgs);
        return command;
    }

    /// <summary>As root each slot's uid is private, so the limit is the sandbox's own. Otherwise RLIMIT_NPROC counts
    /// every process of the invoking user, so the allowance is added to what that user already runs.</summary>
    int ProcessLimit(int slot) => asRoot ? options.Limits.MaxProcesses : SandboxProcesses.CountOfCurrentUser() + options.Limits.MaxProcesses;

    /// <summary>uids the worker slots run as (empty when not root).</summary>
    public IReadOnlyList<int> SlotUids => asRoot ? Enumerable.Range(firstSlotUid, options.Concurrency).ToArray() : [];

    Task<T> Enqueue<T>(Func<int, T> work, CancellationToken cancellation)
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

    void Work(int slot)
    {
        foreach (var job in queue.GetConsumingEnumerable())
        {
            job(slot);
            ClearSlot(slot);
        }
    }

    /// <summary>
    /// The kernel tears a pid namespace down asynchronously: right after a fork bomb, the slot's uid may still own
    /// processes that count against its RLIMIT_NPROC and would make the next run fail to start. Wait for them to go
    /// (killing any stragglers) so that every run starts from an empty slot.
    /// </summary>
    void ClearSlot(int slot)
    {
        if (!asRoot) return;
        var uid = new[] { firstSlotUid + slot };
        var deadline = DateTime.UtcNow.AddSeconds(5);
        IReadOnlyList<int> left;
        while ((left = SandboxProcesses.OwnedBy(uid, includeZombies: true)).Count > 0 && DateTime.UtcNow < deadline)
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
        try
        {
            Directory.Delete(Path.GetDirectoryName(harnessPath)!, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover harness copy in /tmp holds no secrets.
        }
    }
}

/// <summary>Result of a plain script run.</summary>
public sealed record PlainRun(bool Succeeded, int ExitCode, bool TimedOut, string Stderr, double DurationMs);
