namespace Recontext.Judge.Sandbox;

/// <summary>How a sandboxed execution ended.</summary>
public enum SandboxOutcome
{
    /// <summary>The harness ran every test and reported "done".</summary>
    Completed,
    /// <summary>The code does not compile; no test ran.</summary>
    CompileError,
    /// <summary>Wall-clock or CPU-time limit.</summary>
    Timeout,
    /// <summary>Too much output; the run was killed.</summary>
    OutputLimit,
    /// <summary>The run ended before reporting every test (early exit, killed harness, crash).</summary>
    EndedEarly,
}

/// <summary>Result of running one program against its tests in the sandbox.</summary>
/// <param name="Passed">per test: a pass line with the run's nonce arrived</param>
/// <param name="FailureKinds">per test: exception type name of a failure, "not-run" when never reported, null when passed</param>
/// <param name="Detail">compile error type, exit status or limit hit, for humans</param>
/// <param name="Stderr">the program's own output (stdout and stderr), clipped</param>
public sealed record SandboxRun(
    SandboxOutcome Outcome,
    bool[] Passed,
    string?[] FailureKinds,
    string Detail,
    string Stderr,
    double DurationMs);
