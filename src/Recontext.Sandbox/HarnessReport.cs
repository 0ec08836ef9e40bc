using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recontext.Sandbox;

/// <summary>What the program's process reported: how it ended and, per probe, the value it handed back.</summary>
/// <param name="Values">per probe: the harness's report ({"v": tagged value} | {"e": exception} | {"x": type}), null when none arrived</param>
/// <param name="Tampered">why the report itself is not to be trusted (a malformed line carrying the nonce); null when it is well formed</param>
sealed record HarnessResult(SandboxOutcome Outcome, JsonNode?[] Values, string Detail, string? Tampered);

/// <summary>Reads the harness's nonce-tagged report lines ("NONCE INDEX JSON", "NONCE compile KIND", "NONCE done")
/// and the process outcome. The lines only claim values: whether a test passes is the checker's decision.</summary>
static class HarnessReport
{
    const int SigKill = 9;
    const int SigXcpu = 24;

    public static HarnessResult Interpret(ProcessLauncher.Outcome outcome, string nonce, int probeCount, SandboxLimits limits)
    {
        var values = new JsonNode?[probeCount];
        bool done = false;
        string? compileError = null, tampered = null;
        var prefix = nonce + " ";
        foreach (var line in outcome.Stdout.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;   // anything else is not the harness
            var rest = line[prefix.Length..];
            if (rest == "done") done = true;
            else if (rest.StartsWith("compile ", StringComparison.Ordinal)) compileError ??= rest["compile ".Length..];
            else if (Parse(rest, probeCount) is var (index, value))
            {
                values[index] ??= value;   // the first report of a probe is final
            }
            else tampered ??= $"malformed report line: {(rest.Length > 60 ? rest[..60] + "..." : rest)}";
        }

        HarnessResult Result(SandboxOutcome o, string detail) => new(o, values, detail, tampered);
        // The CPU limit kills with SIGXCPU (a forked child) or SIGKILL (pid 1 ignores SIGXCPU). CPU time trails
        // wall time for single-threaded Python, so a SIGKILL after at least half the CPU budget is the limit.
        bool cpuLimit = outcome.ExitCode == 128 + SigXcpu || (outcome.ExitCode == 128 + SigKill && outcome.DurationMs >= limits.CpuSeconds * 500);

        if (outcome.OutputLimited) return Result(SandboxOutcome.OutputLimit, $"output over {limits.MaxOutputBytes} bytes");
        if (outcome.TimedOut) return Result(SandboxOutcome.Timeout, $"wall-clock limit {limits.WallTime.TotalSeconds:0.#} s");
        if (compileError is not null) return Result(SandboxOutcome.CompileError, $"does not compile: {compileError}");
        if (done) return Result(SandboxOutcome.Completed, "ok");
        if (cpuLimit) return Result(SandboxOutcome.Timeout, $"CPU-time limit {limits.CpuSeconds} s");
        int reported = values.Count(v => v is not null);
        return Result(SandboxOutcome.EndedEarly, $"ended (exit status {outcome.ExitCode}) after reporting {reported} of {probeCount} values");
    }

    /// <summary>"INDEX {json object}" with a valid index, or null.</summary>
    static (int, JsonNode)? Parse(string rest, int probeCount)
    {
        int space = rest.IndexOf(' ');
        if (space <= 0 || !int.TryParse(rest.AsSpan(0, space), out var index) || index < 0 || index >= probeCount) return null;
        try
        {
            // System.Text.Json refuses nesting deeper than 64, so a forged value cannot exhaust the checker's stack.
            return JsonNode.Parse(rest[(space + 1)..]) is JsonObject report ? (index, report) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
