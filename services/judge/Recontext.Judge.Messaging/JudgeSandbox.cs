using Recontext.Sandbox;

namespace Recontext.Judge.Messaging;

/// <summary>
/// The process's one sandbox for model-written Python, started when the first mbpp-incorrect-test batch arrives (a
/// toy-code run never pays for it) and kept for the process's life: its warm interpreters are the point.
/// </summary>
public static class JudgeSandbox
{
    static readonly Lazy<PythonSandbox> Instance = new(() => new PythonSandbox(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static PythonSandbox Shared => Instance.Value;
}
