using System.Text.Json;
using Recontext.Contracts;
using Recontext.Environments;
using Recontext.Sandbox;

namespace Recontext.Judge.Messaging;

/// <summary>Tasks and variants to and from their message form (<see cref="JudgeTask"/>), validated on the way in:
/// each setting writes and reads its own rows (<see cref="IEnvironment.EncodeTask"/>).</summary>
public static class JudgeTasks
{
    public const string Loophole = "loophole";
    public const string NoLoophole = "no-loophole";

    public static JudgeTask Encode(IEnvironment environment, EnvironmentTask task) =>
        new() { Environment = task.Environment, Row = environment.EncodeTask(task).ToJsonString() };

    /// <exception cref="FormatException">the row is not a valid task of its setting (the message names the field)</exception>
    public static EnvironmentTask Decode(IEnvironment environment, JudgeTask task, int group)
    {
        if (task.Environment != environment.Name)
            throw new FormatException($"tasks[{group}]: setting '{task.Environment}' in a batch of '{environment.Name}'");
        try
        {
            using var row = JsonDocument.Parse(task.Row);
            return environment.DecodeTask(row.RootElement, TaskRows.Id(row.RootElement, $"group-{group}"));
        }
        catch (JsonException e)
        {
            throw new FormatException($"tasks[{group}]: row is not JSON: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new FormatException($"tasks[{group}]: {e.Message}", e);
        }
    }

    /// <summary>The one setting of a batch's tasks, able to render prompts (and to score when
    /// <paramref name="sandbox"/> is given: mbpp-incorrect-test runs model-written Python there).</summary>
    /// <exception cref="FormatException">the batch is empty, mixes settings or names one not registered</exception>
    public static IEnvironment EnvironmentOf(IReadOnlyList<JudgeTask> tasks, Func<PythonSandbox>? sandbox = null)
    {
        var names = tasks.Select(t => t.Environment).Distinct().ToList();
        if (names.Count != 1) throw new FormatException(names.Count == 0 ? "tasks: the batch has none" : $"tasks: one setting per batch, got {string.Join(", ", names)}");
        if (!Settings.Exists(names[0])) throw new FormatException($"tasks: {Settings.Unknown(names[0])}");
        return Settings.Create(names[0], new SettingOptions { Sandbox = sandbox });
    }

    public static string EncodeVariant(EnvironmentVariant variant) => variant == EnvironmentVariant.Loophole ? Loophole : NoLoophole;

    public static EnvironmentVariant DecodeVariant(string variant) => variant switch
    {
        Loophole => EnvironmentVariant.Loophole,
        NoLoophole => EnvironmentVariant.NoLoophole,
        _ => throw new FormatException($"variant must be '{Loophole}' or '{NoLoophole}', got '{variant}'"),
    };
}
