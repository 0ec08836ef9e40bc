using System.Text.Json.Nodes;

namespace Recontext.Sandbox;

/// <summary>
/// One worker slot's warm interpreter (harness.py --serve): a sandboxed Python that stays up and forks a child per
/// completion, with the completion's own rlimits, instead of paying for bubblewrap and interpreter start-up each time.
/// The server itself never runs the program's code; after each child it kills every other process in its namespace
/// and wipes the writable folders, and when it cannot (or dies) the whole sandbox is replaced.
/// </summary>
sealed class WarmInterpreter(Func<List<string>> command, SandboxLimits limits) : IDisposable
{
    readonly SandboxedServer server = new("warm interpreter", command);

    /// <summary>Runs one job (nonce, code, probes) in a fresh child; <paramref name="processes"/> is its RLIMIT_NPROC.</summary>
    public ProcessLauncher.Outcome Run(JsonObject job, int processes)
    {
        job["limits"] = new JsonObject
        {
            ["cpuSeconds"] = limits.CpuSeconds,
            ["memoryBytes"] = limits.MemoryBytes,
            ["processes"] = processes,
            ["maxFileBytes"] = limits.MaxFileBytes,
            ["maxOutputBytes"] = limits.MaxOutputBytes,
            ["wallSeconds"] = limits.WallTime.TotalSeconds,
        };
        var line = job.ToJsonString();
        // The server enforces the wall-clock limit itself; this backstop only catches a server that hangs.
        var backstop = limits.WallTime + TimeSpan.FromSeconds(10);
        string answer;
        try
        {
            try
            {
                answer = server.Request(line, backstop);
            }
            catch (SandboxServerException e) when (e.Unread)
            {
                // A server that died between jobs never saw this one: one retry on a fresh sandbox.
                answer = server.Request(line, backstop);
            }
        }
        catch (SandboxServerException e)
        {
            return new ProcessLauncher.Outcome(-1, "", e.Message, e.TimedOut, false, backstop.TotalMilliseconds);
        }
        var result = JsonNode.Parse(answer)!;
        if (result["dirty"]!.GetValue<bool>()) server.Stop();   // something of this completion survived: start clean
        return new ProcessLauncher.Outcome(result["exitCode"]!.GetValue<int>(), result["stdout"]!.GetValue<string>(), result["stderr"]!.GetValue<string>(),
            result["timedOut"]!.GetValue<bool>(), result["outputLimited"]!.GetValue<bool>(), result["ms"]!.GetValue<double>());
    }

    /// <summary>The server's own processes between jobs: bubblewrap, the interpreter it started and at most one child of
    /// that interpreter (the spare waiting for the next job). Any further process is something a completion left.</summary>
    public IReadOnlyList<int> ProcessIds()
    {
        if (server.ProcessId is not int pid) return [];
        var own = new List<int> { pid };
        foreach (var interpreter in SandboxProcesses.ChildrenOf(pid))
        {
            own.Add(interpreter);
            own.AddRange(SandboxProcesses.ChildrenOf(interpreter).OrderDescending().Take(1));   // the newest: forked last
        }
        return own;
    }

    public void Dispose() => server.Dispose();
}
