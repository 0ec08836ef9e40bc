using System.Diagnostics;
using System.Text;

namespace Recontext.Sandbox;

/// <summary>Runs one process with stdin text, a wall-clock deadline and capped output capture.</summary>
static class ProcessLauncher
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr, bool TimedOut, bool OutputLimited, double DurationMs);

    public static Outcome Run(IReadOnlyList<string> command, string stdin, TimeSpan wallTime, int maxOutputBytes)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1)) start.ArgumentList.Add(arg);

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new SandboxUnavailableException($"could not start {command[0]}");
        var limited = new CancellationTokenSource();
        var stdout = Capture(process.StandardOutput.BaseStream, maxOutputBytes, limited);
        var stderr = Capture(process.StandardError.BaseStream, maxOutputBytes, limited);
        try
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program may exit (or be killed) before reading its input; its verdict says why.
        }

        bool timedOut = false;
        var waitLimit = Task.Delay(wallTime, limited.Token);
        var exited = process.WaitForExitAsync();
        Task.WaitAny(exited, waitLimit);
        if (!process.HasExited)
        {
            timedOut = !limited.IsCancellationRequested;
            KillTree(process);
        }
        process.WaitForExit();
        Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(5));
        return new Outcome(process.ExitCode, Text(stdout), Text(stderr), timedOut, limited.IsCancellationRequested, watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// Kills the sandbox from the inside out: SIGKILL to bubblewrap's children (the pid namespace's init, whose
    /// death makes the kernel kill everything in the namespace), so that bubblewrap itself sees its child end,
    /// reaps it and exits. Killing bubblewrap first would orphan that init to the host's pid 1, where it lingers as a
    /// zombie that still counts against the slot's process limit. Falls back to killing the whole tree.
    /// </summary>
    public static void KillTree(Process process)
    {
        try
        {
            foreach (var child in SandboxProcesses.ChildrenOf(process.Id)) SandboxProcesses.Kill(child);
            if (process.WaitForExit(TimeSpan.FromSeconds(2))) return;
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    static string Text(Task<byte[]> capture) => capture.IsCompletedSuccessfully ? Encoding.UTF8.GetString(capture.Result) : "";

    /// <summary>Reads a stream to its end, keeping at most <paramref name="cap"/> bytes; past that it signals
    /// <paramref name="limited"/> so the caller kills the process.</summary>
    static async Task<byte[]> Capture(Stream stream, int cap, CancellationTokenSource limited)
    {
        var kept = new MemoryStream();
        var buffer = new byte[16384];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            int room = (int)Math.Max(0, cap - kept.Length);
            kept.Write(buffer, 0, Math.Min(room, read));
            if (read > room)
            {
                limited.Cancel();
                break;
            }
        }
        return kept.ToArray();
    }
}
