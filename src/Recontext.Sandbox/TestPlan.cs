namespace Recontext.Sandbox;

/// <summary>How the checker judges one test: the probes (expressions over the program's names) whose plain values it
/// needs from the sandbox. <see cref="Key"/> names the compiled plan inside the checker.</summary>
sealed record TestPlan(string Key, IReadOnlyList<string> Probes);

/// <summary>The checker's verdict on one test.</summary>
/// <param name="Kind">why it failed: the exception of the assert or of a probe, "not-run", "tampered"; null when passed</param>
/// <param name="Tampered">what the program handed back instead of plain data; null when nothing was tampered with</param>
sealed record TestVerdict(bool Passed, string? Kind, string? Tampered);

/// <summary>A test the checker cannot judge (not Python, or not only asserts and standard imports): the task is at
/// fault, not the completion.</summary>
public sealed class InvalidTestException(string message) : ArgumentException(message);
