namespace Recontext.Environments;

/// <summary>How an execution ended.</summary>
public enum Verdict
{
    /// <summary>Every test ran (each passed or failed).</summary>
    Ok,
    /// <summary>Wall-clock or CPU-time limit reached; tests not reported by then failed.</summary>
    Timeout,
    /// <summary>The run ended abnormally: early exit, crash, memory/process/output limit.</summary>
    Error,
    /// <summary>The program handed back something other than plain data for a test to compare (an object with its own
    /// __eq__ or __bool__, say) or forged its report: the tests concerned fail, and runs count these apart.</summary>
    Tampered,
    /// <summary>No program could be extracted or it does not parse/compile: nothing ran, reward 0.</summary>
    Malformed,
}
