using System.Text.Json;
using Recontext.Contracts;
using Recontext.Judge.Abstractions;
using Recontext.Judge.ToyCode;

namespace Recontext.Judge.Messaging;

/// <summary>Tasks and variants to and from their message form (<see cref="JudgeTask"/>), validated on the way in.</summary>
public static class JudgeTasks
{
    public const string Loophole = "loophole";
    public const string NoLoophole = "no-loophole";

    public static JudgeTask Encode(CodingTask task) => task.Environment switch
    {
        ToyCodeEnvironment.EnvironmentName => new JudgeTask { Environment = task.Environment, Row = ToyTaskRow.ToJson(task).ToJsonString() },
        _ => throw new NotSupportedException($"tasks of environment '{task.Environment}' do not travel to a judge service yet (toy-code does)"),
    };

    /// <exception cref="FormatException">the row is not a valid task of its environment (the message names the field)</exception>
    public static CodingTask Decode(JudgeTask task, int group)
    {
        if (task.Environment != ToyCodeEnvironment.EnvironmentName)
            throw new NotSupportedException($"tasks[{group}]: this judge scores {ToyCodeEnvironment.EnvironmentName} tasks, not '{task.Environment}'");
        try
        {
            using var row = JsonDocument.Parse(task.Row);
            return ToyTaskRow.Parse(row.RootElement, $"group-{group}");
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

    public static string EncodeVariant(EnvironmentVariant variant) => variant == EnvironmentVariant.Loophole ? Loophole : NoLoophole;

    public static EnvironmentVariant DecodeVariant(string variant) => variant switch
    {
        Loophole => EnvironmentVariant.Loophole,
        NoLoophole => EnvironmentVariant.NoLoophole,
        _ => throw new FormatException($"variant must be '{Loophole}' or '{NoLoophole}', got '{variant}'"),
    };
}
