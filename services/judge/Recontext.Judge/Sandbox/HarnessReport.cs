namespace Recontext.Judge.Sandbox;

/// <summary>Turns the harness's nonce-tagged report lines and the process outcome into a <see cref="SandboxRun"/>.</summary>
static class HarnessReport
{
    const int SigKill = 9;
    const int SigXcpu = 24;

    public static SandboxRun Interpret(ProcessLauncher.Outcome outcome, string nonce, int testCount, SandboxLimits limits)
    {
        var passed = new bool[testCount];
        var kinds = Enumerable.Repeat<string?>("not-run", testCount).ToArray();
        bool done = false;
        string? compileError = null;
        var prefix = nonce + " ";
        foreach (var line in outcome.Stdout.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;   // anything else is not the harness
            var words = line[prefix.Length..].Split(' ');
            if (words is ["done"]) done = true;
            else if (words is ["compile", var error]) compileError = error;
            else if (words.Length >= 2 && int.TryParse(words[0], out var index) && index >= 0 && index < testCount)
            {
                // The first report of a test is final: nothing can turn a failure into a pass later.
                if (kinds[index] != "not-run" || passed[index]) continue;
                if (words[1] == "pass") (passed[index], kinds[index]) = (true, null);
                else kinds[index] = words.Length > 2 ? words[2] : "fail";
            }
        }

        var stderr = outcome.Stderr.Length > 4000 ? outcome.Stderr[..4000] + "..." : outcome.Stderr;
        SandboxRun Run(SandboxOutcome o, string detail) => new(o, passed, kinds, detail, stderr, outcome.DurationMs);
        // The CPU limit kills with SIGKILL (the program is pid 1 and ignores SIGXCPU). CPU time trails wall time
        // for single-threaded Python, so a SIGKILL after at least half the CPU budget is the limit, not a crash.
        bool cpuLimit = outcome.ExitCode == 128 + SigXcpu || (outcome.ExitCode == 128 + SigKill && outcome.DurationMs >= limits.CpuSeconds * 500);

        if (outcome.OutputLimited) return Run(SandboxOutcome.OutputLimit, $"output over {limits.MaxOutputBytes} bytes");
        if (outcome.TimedOut) return Run(SandboxOutcome.Timeout, $"wall-clock limit {limits.WallTime.TotalSeconds:0.#} s");
        if (compileError is not null) return Run(SandboxOutcome.CompileError, $"does not compile: {compileError}");
        if (done) return Run(SandboxOutcome.Completed, "ok");
        if (cpuLimit) return Run(SandboxOutcome.Timeout, $"CPU-time limit {limits.CpuSeconds} s");
        int reported = kinds.Count(k => k != "not-run");
        return Run(SandboxOutcome.EndedEarly, $"ended (exit status {outcome.ExitCode}) after reporting {reported} of {testCount} tests");
    }
}
