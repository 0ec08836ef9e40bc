using Recontext.Runs.Demo;

namespace Recontext.Runs.Tests;

/// <summary>The demo's worker processes: progress relayed, output logged, a crashed worker restarted, persistent failure reported.</summary>
public sealed class WorkerProcessExecutorTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-worker-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    DemoArm Arm() => new(new DemoVariant("good->bad", "test arm", c => c), 2, new RunConfig { Steps = 4 }, Path.Combine(root, "arm"));

    /// <summary>A stand-in worker: a shell script run with the arm's folder as its argument.</summary>
    static WorkerProcessExecutor Shell(string script, int attempts = 3) =>
        new("/bin/bash", arm => ["-c", script, "worker", arm.Directory], threadsPerWorker: 1, attempts);

    sealed class Collect(List<RunLoop.Progress> seen) : IProgress<RunLoop.Progress>
    {
        public void Report(RunLoop.Progress value)
        {
            lock (seen) seen.Add(value);
        }
    }

    [Fact]
    public async Task ACrashedWorkerIsRestartedAndItsProgressAndOutputKept()
    {
        // First attempt: progress, a log line, then a segmentation fault. Second attempt: finishes.
        const string script = """
            echo "@progress 1 4 generating"
            echo "threads=$OMP_NUM_THREADS"
            if [ ! -e "$1/crashed" ]; then touch "$1/crashed"; echo "about to crash" >&2; kill -SEGV $$; fi
            echo "@progress 2 4 training"
            """;
        var executor = Shell(script);
        var seen = new List<RunLoop.Progress>();

        await executor.RunAsync(Arm(), new Collect(seen), CancellationToken.None);

        Assert.Equal(1, executor.Restarts);
        var log = File.ReadAllText(Path.Combine(root, "arm", WorkerProcessExecutor.LogFile));
        Assert.Contains("--- attempt 1 of good->bad seed 2", log);
        Assert.Contains("about to crash", log);
        Assert.Contains("--- exit code 139", log);
        Assert.Contains("--- attempt 2 of good->bad seed 2", log);
        Assert.Contains("--- exit code 0", log);
        Assert.Contains("threads=1", log);
        Assert.DoesNotContain("@progress", log);
        lock (seen)
        {
            Assert.Contains(seen, p => p is { Step: 1, Steps: 4, Phase: "generating" });
            Assert.Contains(seen, p => p is { Step: 2, Steps: 4, Phase: "training" });
            Assert.Contains(seen, p => p.Phase.Contains("exited with code 139; restarting (attempt 2 of 3)"));
        }
    }

    [Fact]
    public async Task AWorkerThatKeepsFailingIsReportedWithItsLogTail()
    {
        var executor = Shell("echo \"no such variant\" >&2; exit 3", attempts: 2);
        var error = await Assert.ThrowsAsync<DemoWorkerException>(() => executor.RunAsync(Arm(), null, CancellationToken.None));
        Assert.Contains("good->bad seed 2: the worker failed 2 times (last exit code 3)", error.Message);
        Assert.Contains("no such variant", error.Message);
        Assert.Equal(1, executor.Restarts);
    }

    [Fact]
    public void ProgressLinesRoundTrip()
    {
        var line = WorkerProcessExecutor.FormatProgress(new RunLoop.Progress(3, 16, "storing rollouts", null));
        Assert.Equal(new RunLoop.Progress(3, 16, "storing rollouts", null), WorkerProcessExecutor.ParseProgress(line));
        Assert.Null(WorkerProcessExecutor.ParseProgress("@progress x 16 generating"));
        Assert.Null(WorkerProcessExecutor.ParseProgress("base model: cached"));
    }
}
