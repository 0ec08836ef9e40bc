using System.Text.Json;
using Recontext.Contracts;
using Recontext.Judge.Abstractions;
using Recontext.Judge.Mbpp;
using Recontext.Judge.Sandbox;
using Recontext.Judge.ToyCode;

namespace Recontext.Judge.Messaging;

/// <summary>Tasks and variants to and from their message form (<see cref="JudgeTask"/>), validated on the way in.</summary>
public static class JudgeTasks
{
    public const string Loophole = "loophole";
    public const string NoLoophole = "no-loophole";

    /// <summary>The environments whose tasks travel in messages.</summary>
    public static readonly IReadOnlyList<string> Environments = [ToyCodeEnvironment.EnvironmentName, MbppEnvironment.EnvironmentName];

    public static JudgeTask Encode(CodingTask task) => task.Environment switch
    {
        ToyCodeEnvironment.EnvironmentName => new JudgeTask { Environment = task.Environment, Row = ToyTaskRow.ToJson(task).ToJsonString() },
        MbppEnvironment.EnvironmentName => new JudgeTask { Environment = task.Environment, Row = MbppEnvironment.ToRow(task).ToJsonString() },
        _ => throw new NotSupportedException($"tasks of environment '{task.Environment}' do not travel in messages; these do: {string.Join(", ", Environments)}"),
    };

    /// <exception cref="FormatException">the row is not a valid task of its environment (the message names the field)</exception>
    public static CodingTask Decode(JudgeTask task, int group)
    {
        if (!Environments.Contains(task.Environment))
            throw new NotSupportedException($"tasks[{group}]: environment '{task.Environment}' is not one this judge scores ({string.Join(", ", Environments)})");
        try
        {
            using var row = JsonDocument.Parse(task.Row);
            return task.Environment == MbppEnvironment.EnvironmentName
                ? MbppEnvironment.ToTask(MbppRow.Parse(row.RootElement), $"group-{group}")
                : ToyTaskRow.Parse(row.RootElement, $"group-{group}");
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

    /// <summary>The one environment of a batch's tasks, able to render prompts (and to score when
    /// <paramref name="sandbox"/> is given: mbpp-incorrect-test runs model-written Python there).</summary>
    /// <exception cref="FormatException">the batch is empty, mixes environments or names one not supported</exception>
    public static IEnvironment EnvironmentOf(IReadOnlyList<JudgeTask> tasks, Func<PythonSandbox>? sandbox = null)
    {
        var names = tasks.Select(t => t.Environment).Distinct().ToList();
        if (names.Count != 1) throw new FormatException(names.Count == 0 ? "tasks: the batch has none" : $"tasks: one environment per batch, got {string.Join(", ", names)}");
        return names[0] switch
        {
            ToyCodeEnvironment.EnvironmentName => new ToyCodeEnvironment(),
            MbppEnvironment.EnvironmentName => new MbppEnvironment([], sandbox?.Invoke()),
            var other => throw new NotSupportedException($"tasks: environment '{other}' is not one this judge scores ({string.Join(", ", Environments)})"),
        };
    }

    public static string EncodeVariant(EnvironmentVariant variant) => variant == EnvironmentVariant.Loophole ? Loophole : NoLoophole;

    public static EnvironmentVariant DecodeVariant(string variant) => variant switch
    {
        Loophole => EnvironmentVariant.Loophole,
        NoLoophole => EnvironmentVariant.NoLoophole,
        _ => throw new FormatException($"variant must be '{Loophole}' or '{NoLoophole}', got '{variant}'"),
    };
}
