namespace Recontext.Sandbox;

/// <summary>How a sandboxed execution ended.</summary>
public enum SandboxOutcome
{
    /// <summary>The harness evaluated every probe and reported "done".</summary>
    Completed,
    /// <summary>The code does not compile; no test ran.</summary>
    CompileError,
    /// <summary>Wall-clock or CPU-time limit.</summary>
    Timeout,
    /// <summary>Too much output; the run was killed.</summary>
    OutputLimit,
    /// <summary>The run ended before reporting every probe (early exit, killed harness, crash).</summary>
    EndedEarly,
}

/// <summary>Result of running one program against its tests in the sandbox.</summary>
/// <param name="Passed">per test: the checker ran its asserts on the program's values and they held</param>
/// <param name="FailureKinds">per test: exception type name of a failure ("AssertionError", a probe's own exception,
/// "not-run" when its values never arrived, "tampered"), null when passed</param>
/// <param name="Detail">compile error type, exit status or limit hit, for humans</param>
/// <param name="Stderr">the program's own output (stdout and stderr), clipped</param>
/// <param name="Tampered">what the program handed back instead of plain data, or a forged report; null when nothing</param>
public sealed record SandboxRun(
    SandboxOutcome Outcome,
    bool[] Passed,
    string?[] FailureKinds,
    string Detail,
    string Stderr,
    double DurationMs,
    string? Tampered = null);
