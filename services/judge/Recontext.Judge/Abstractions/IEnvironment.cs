using Recontext.Contracts;

namespace Recontext.Judge.Abstractions;

/// <summary>Which tasks to draw.</summary>
public enum TaskSplit
{
    /// <summary>Tasks to train on.</summary>
    Train,
    /// <summary>Held-out tasks of the training families (evaluation).</summary>
    Eval,
    /// <summary>Tasks of template families never trained on (generalisation), where the environment has such families.</summary>
    HeldOutFamilies,
}

/// <summary>
/// A coding environment: draws tasks, renders a task under a context, scores a completion. Free of any transport,
/// so the judge service, the one-process default and the tests share it.
/// </summary>
public interface IEnvironment
{
    string Name { get; }

    /// <summary><paramref name="count"/> tasks of a split, the same for the same seed.</summary>
    IReadOnlyList<CodingTask> SampleTasks(TaskSplit split, int count, long seed);

    /// <summary>This environment's text for a preset (null for Neutral).</summary>
    string? PresetInstruction(ContextPreset preset);

    /// <summary>The chat messages the policy sees for <paramref name="task"/> under <paramref name="context"/>.</summary>
    IReadOnlyList<ChatMessage> Render(CodingTask task, PromptContext context);

    /// <summary>Scores one completion against the task as shown under <paramref name="variant"/>.</summary>
    Task<JudgeScore> ScoreAsync(CodingTask task, string completion, EnvironmentVariant variant, CancellationToken cancellation = default);
}
