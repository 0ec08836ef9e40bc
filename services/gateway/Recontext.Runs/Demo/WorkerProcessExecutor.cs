using System.Diagnostics;
using System.Globalization;

namespace Recontext.Runs.Demo;

/// <summary>
/// Runs each arm in a worker process of its own (the CLI in worker mode), so that arms run side by side on separate
/// cores and a native crash ends one attempt of one arm instead of the demo: a worker that exits with an error is
/// started again and resumes from the arm's last completed step, up to <paramref name="attempts"/> times. A worker
/// reports progress as <see cref="ProgressPrefix"/> lines on stdout; everything else it prints, and its stderr, goes
/// to <c>worker.log</c> in the arm's folder.
/// </summary>
/// <param name="arguments">the worker's command line for an arm</param>
/// <param name="threadsPerWorker">intra-op threads of each worker (OMP_NUM_THREADS), so workers do not oversubscribe the cores</param>
public sealed class WorkerProcessExecutor(string executable, Func<DemoArm, IReadOnlyList<string>> arguments, int threadsPerWorker, int attempts = 3) : IDemoArmExecutor
{
    public const string ProgressPrefix = "@progress ";
    public const string LogFile = "worker.log";

    int restarts;

    /// <summary>Workers started again after a failed attempt (each resumed its arm).</summary>
    public int Restarts => Volatile.Read(ref restarts);

    /// <summary>The progress line a worker prints: step, steps and phase.</summary>
    public static string FormatProgress(RunLoop.Progress p) => $"{ProgressPrefix}{p.Step} {p.Steps} {p.Phase}";

    public static RunLoop.Progress? ParseProgress(string line)
    {
        if (!line.StartsWith(ProgressPrefix, StringComparison.Ordinal)) return null;
        var parts = line[ProgressPrefix.Length..].Split(' ', 3);
        return parts.Length == 3 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int step) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int steps)
            ? new RunLoop.Progress(step, steps, parts[2], null)
            : null;
    }

    public async Task RunAsync(DemoArm arm, IProgress<RunLoop.Progress>? progress, CancellationToken cancellation)
    {
        Directory.CreateDirectory(arm.Directory);
        var logPath = Path.Combine(arm.Directory, LogFile);
        int lastExit = 0;
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            await using (var log = new StreamWriter(logPath, append: true) { AutoFlush = true })
            {
                await log.WriteLineAsync($"--- attempt {attempt} of {arm.Label}, {DateTime.UtcNow:O}");
                lastExit = await RunWorkerAsync(arm, log, progress, cancellation);
                await log.WriteLineAsync($"--- exit code {lastExit}");
            }
            if (lastExit == 0) return;
            if (attempt < attempts)
            {
                Interlocked.Increment(ref restarts);
                progress?.Report(new RunLoop.Progress(0, arm.Config.Steps, $"worker exited with code {lastExit}; restarting (attempt {attempt + 1} of {attempts})", null));
            }
        }
        var tail = File.ReadLines(logPath).TakeLast(15);
        throw new DemoWorkerException($"{arm.Label}: the worker failed {attempts} times (last exit code {lastExit}); its log is {logPath}:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}");
    }

    async Task<int> RunWorkerAsync(DemoArm arm, StreamWriter log, IProgress<RunLoop.Progress>? progress, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments(arm)) start.ArgumentList.Add(a);
        var threads = threadsPerWorker.ToString(CultureInfo.InvariantCulture);
        start.Environment["OMP_NUM_THREADS"] = threads;
        start.Environment["MKL_NUM_THREADS"] = threads;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        process.StandardInput.Close();
        var gate = new object();
        void Log(string line)
        {
            lock (gate) log.WriteLine(line);
        }

        async Task Pump(StreamReader reader, bool stdout)
        {
            while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
            {
                if (stdout && ParseProgress(line) is { } p) progress?.Report(p);
                else Log(line);
            }
        }

        var pumps = Task.WhenAll(Pump(process.StandardOutput, stdout: true), Pump(process.StandardError, stdout: false));
        try
        {
            await process.WaitForExitAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            // The resume point on disk is consistent at any moment, so stopping the worker loses at most its current step.
            process.Kill(entireProcessTree: true);
            throw;
        }
        await pumps;
        return process.ExitCode;
    }
}
