using Recontext.Environments.Mbpp;
using Recontext.Environments.ToyCode;
using Recontext.Sandbox;

namespace Recontext.Environments;

/// <summary>What a setting may need to be built: its own options where the experiment gives some, and the judge's
/// sandbox for settings that run model-written Python (null where a process only draws and renders tasks).</summary>
public sealed record SettingOptions
{
    public ToyCodeOptions ToyCode { get; init; } = new();

    /// <summary>The lying setting's tasks and labeller (its rewards travel in each task's row).</summary>
    public Lying.LyingOptions Lying { get; init; } = new();

    /// <summary>mbpp-incorrect-test's rows (empty on the judge's side, which decodes tasks from messages).</summary>
    public IReadOnlyList<MbppRow> MbppRows { get; init; } = [];

    public Func<PythonSandbox>? Sandbox { get; init; }
}
