using System.Text.Json;
using System.Text.Json.Nodes;
using Recontext.Contracts;

namespace Recontext.Environments;

/// <summary>Which tasks to draw.</summary>
public enum TaskSplit
{
    /// <summary>Tasks to train on.</summary>
    Train,
    /// <summary>Held-out tasks of the training families (evaluation).</summary>
    Eval,
    /// <summary>Tasks of template families never trained on (generalisation), where the setting has such families.</summary>
    HeldOutFamilies,
}

/// <summary>
/// A setting (an environment of one misbehaviour): draws tasks, renders a task under a context, scores a completion
/// with the flawed training reward, the ground truth and the misbehaviour flag, and writes its tasks as JSON rows so
/// they travel in messages. Free of any transport, so the judge service, the one-process default and the tests share
/// it. Settings are registered in <see cref="Settings"/>; docs/environments.md walks through adding one.
/// </summary>
public interface IEnvironment
{
    string Name { get; }

    /// <summary>What this setting's misbehaviour is called.</summary>
    Misbehaviour Misbehaviour { get; }

    /// <summary>Whether the setting has a variant without the loophole (<see cref="EnvironmentVariant.NoLoophole"/>):
    /// environment recontextualization needs one.</summary>
    bool HasLoopholeVariant { get; }

    /// <summary><paramref name="count"/> tasks of a split, the same for the same seed.</summary>
    IReadOnlyList<EnvironmentTask> SampleTasks(TaskSplit split, int count, long seed);

    /// <summary>This setting's phrasings of a preset (<see cref="ContextPhrasings.None"/> for Neutral).</summary>
    ContextPhrasings Instructions(ContextPreset preset);

    /// <summary>The chat messages the policy sees for <paramref name="task"/> under <paramref name="context"/>.</summary>
    IReadOnlyList<ChatMessage> Render(EnvironmentTask task, PromptContext context);

    /// <summary>Scores one completion against the task as shown under <paramref name="variant"/>.</summary>
    Task<JudgeScore> ScoreAsync(EnvironmentTask task, string completion, EnvironmentVariant variant, CancellationToken cancellation = default);

    /// <summary>The task as a JSON row (what travels to a judge in another process).</summary>
    JsonObject EncodeTask(EnvironmentTask task);

    /// <summary>A task back from its row.</summary>
    /// <exception cref="FormatException">the row is not a valid task of this setting (the message names the field)</exception>
    EnvironmentTask DecodeTask(JsonElement row, string id);
}
