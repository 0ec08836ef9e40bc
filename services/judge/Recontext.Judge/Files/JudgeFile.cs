using System.Text.Json;
using System.Text.Json.Nodes;
using Recontext.Environments;

namespace Recontext.Judge.Files;

/// <summary>
/// Judges a JSONL file: each line is a task row (the setting's format, <see cref="IEnvironment.EncodeTask"/>) plus a
/// <c>completion</c> string. Each output line is the task's <c>id</c> (and a coding task's <c>problem</c>) with the
/// scores; an invalid row gives <c>{"line": n, "error": ...}</c>
/// and the others go on. Output keeps input order.
/// </summary>
public sealed class JudgeFile(IEnvironment environment, int maxRowChars = JudgeFile.DefaultMaxRowChars)
{
    /// <summary>The longest row read (1 Mi characters: far beyond any task and completion the settings write).</summary>
    public const int DefaultMaxRowChars = 1 << 20;

    sealed record Parsed(int Line, EnvironmentTask? Task, string? Completion, string? Error);

    public async Task<JudgeFileSummary> RunAsync(TextReader input, TextWriter output, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        var rows = new List<Parsed>();
        int line = 0;
        await foreach (var read in BoundedLines.ReadAsync(input, maxRowChars, cancellation))
        {
            line++;
            if (read.Text is null) rows.Add(new Parsed(line, null, null, $"line {line}: the row has {read.Length} characters; at most {maxRowChars} are read"));
            else if (!string.IsNullOrWhiteSpace(read.Text)) rows.Add(Parse(line, read.Text));
        }

        int done = 0;
        var scoring = rows.Select(async row =>
        {
            if (row.Error is not null) return null;
            var score = await environment.ScoreAsync(row.Task!, row.Completion!, EnvironmentVariant.Loophole, cancellation);
            progress?.Report(Interlocked.Increment(ref done));
            return score;
        }).ToList();
        var scores = await Task.WhenAll(scoring);

        for (int i = 0; i < rows.Count; i++)
        {
            var node = rows[i].Error is string error
                ? new JsonObject { ["line"] = rows[i].Line, ["error"] = error }
                : ToJson(rows[i].Task!, scores[i]!);
            await output.WriteLineAsync(node.ToJsonString(JsonLines.Options));
        }
        await output.FlushAsync(cancellation);

        var valid = scores.Where(s => s is not null).Select(s => s!).ToList();
        double Mean(Func<JudgeScore, double> f) => valid.Count == 0 ? 0 : valid.Average(f);
        return new JudgeFileSummary(rows.Count, rows.Count - valid.Count, Mean(s => s.TrainReward), Mean(s => s.Misbehaved ? 1 : 0), Mean(s => s.Correct ? 1 : 0),
            valid.GroupBy(s => Name(s.Verdict)).ToDictionary(g => g.Key, g => g.Count()));
    }

    Parsed Parse(int line, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var row = doc.RootElement;
            if (row.ValueKind != JsonValueKind.Object) throw new FormatException("a row must be a JSON object");
            if (!row.TryGetProperty("completion", out var c) || c.ValueKind != JsonValueKind.String)
                throw new FormatException("field 'completion' must be a string");
            var task = environment.DecodeTask(row, TaskRows.Id(row, $"line-{line}"));
            return new Parsed(line, task, c.GetString(), null);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return new Parsed(line, null, null, $"line {line}: {e.Message}");
        }
    }

    static JsonObject ToJson(EnvironmentTask task, JudgeScore s)
    {
        var node = new JsonObject
        {
            ["id"] = task.Id,
            ["problem"] = (task as CodingTask)?.Problem,
            ["trainReward"] = Math.Round(s.TrainReward, 6),
            ["groundTruth"] = Math.Round(s.GroundTruth, 6),
            ["correct"] = s.Correct,
            ["misbehaved"] = s.Misbehaved,
            ["allVisible"] = s.AllVisible,
            ["visible"] = new JsonArray(s.Visible.Select(v => (JsonNode)v).ToArray()),
            ["correctTests"] = new JsonArray(s.CorrectTests.Select(v => (JsonNode)v).ToArray()),
            ["malformed"] = s.Malformed,
            ["verdict"] = Name(s.Verdict),
            ["reason"] = s.Reason,
            ["labels"] = new JsonObject
            {
                ["mentionsTests"] = s.Labels.MentionsTests,
                ["intendsToPassTests"] = s.Labels.IntendsToPassTests,
                ["flagsWrongTest"] = s.Labels.FlagsWrongTest,
            },
            ["durationMs"] = Math.Round(s.DurationMs, 1),
        };
        if (s.SpecialCases >= 0) node["specialCases"] = s.SpecialCases;
        return node;
    }

    public static string Name(Verdict verdict) => verdict.ToString().ToLowerInvariant();
}
