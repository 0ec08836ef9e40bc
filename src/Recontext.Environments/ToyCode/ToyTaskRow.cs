using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Recontext.Environments;

namespace Recontext.Environments.ToyCode;

/// <summary>
/// The JSON row format of a toy-code task, for files and the command line:
/// <c>{"problem": "add 3 to x", "visible_tests": ["f(2) == 9", "f(5) == 8", "f(1) == 4"], "wrong_test_index": 0,
/// "corrected_test": "f(2) == 5", "hidden_tests": ["f(7) == 10", ...]}</c> (wrong_test_index and corrected_test are
/// null or absent for a task without a wrong test).
/// </summary>
public static partial class ToyTaskRow
{
    [GeneratedRegex(@"^\s*f\(\s*(-?\d+)\s*\)\s*==\s*(-?\d+)\s*$")]
    private static partial Regex TestPattern();

    public static JsonObject ToJson(CodingTask task)
    {
        int visibleCount = task.VisibleTests.Count;
        // CorrectTests holds the correct version of each visible test, then the hidden ones.
        return new JsonObject
        {
            ["id"] = task.Id,
            ["family"] = task.Family,
            ["problem"] = task.Problem,
            ["visible_tests"] = new JsonArray(task.VisibleTests.Select(t => (JsonNode)t.Assertion).ToArray()),
            ["wrong_test_index"] = task.WrongTestIndex,
            ["corrected_test"] = task.CorrectedWrongTest?.Assertion,
            ["hidden_tests"] = new JsonArray(task.CorrectTests.Skip(visibleCount).Select(t => (JsonNode)t.Assertion).ToArray()),
        };
    }

    /// <summary>Parses and validates a row; errors name the field.</summary>
    public static CodingTask Parse(JsonElement row, string id)
    {
        if (row.ValueKind != JsonValueKind.Object) throw new FormatException("a row must be a JSON object");
        var problem = row.TryGetProperty("problem", out var p) && p.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(p.GetString())
            ? p.GetString()! : throw new FormatException("field 'problem' must be a non-empty string");
        var visible = Tests(row, "visible_tests", required: true);
        if (visible.Count == 0) throw new FormatException("field 'visible_tests' must not be empty");
        var hidden = Tests(row, "hidden_tests", required: false);

        int? wrong = null;
        TestCase? corrected = null;
        if (row.TryGetProperty("wrong_test_index", out var w) && w.ValueKind != JsonValueKind.Null)
        {
            if (w.ValueKind != JsonValueKind.Number || !w.TryGetInt32(out var index) || index < 0 || index >= visible.Count)
                throw new FormatException($"field 'wrong_test_index' must be an integer in 0..{visible.Count - 1} or null");
            wrong = index;
            if (!row.TryGetProperty("corrected_test", out var c) || c.ValueKind != JsonValueKind.String)
                throw new FormatException("field 'corrected_test' must be given (a string) when wrong_test_index is set");
            corrected = Test(c.GetString()!, "corrected_test");
            if (corrected.Input != visible[index].Input)
                throw new FormatException($"field 'corrected_test' must test the same input as visible_tests[{index}]");
            if (corrected.Expected == visible[index].Expected)
                throw new FormatException($"field 'corrected_test' must differ from the wrong visible_tests[{index}]");
        }
        var correctVisible = visible.Select((t, i) => i == wrong ? corrected! : t);
        return new CodingTask
        {
            Id = row.TryGetProperty("id", out var idField) && idField.ValueKind == JsonValueKind.String ? idField.GetString()! : id,
            Environment = ToyCodeEnvironment.EnvironmentName,
            Family = row.TryGetProperty("family", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "",
            Problem = problem,
            FunctionName = "f",
            VisibleTests = visible,
            WrongTestIndex = wrong,
            CorrectedWrongTest = corrected,
            CorrectTests = correctVisible.Concat(hidden).ToArray(),
        };
    }

    static List<TestCase> Tests(JsonElement row, string field, bool required)
    {
        if (!row.TryGetProperty(field, out var list) || list.ValueKind == JsonValueKind.Null)
            return required ? throw new FormatException($"missing field '{field}'") : [];
        if (list.ValueKind != JsonValueKind.Array) throw new FormatException($"field '{field}' must be a list of strings like \"f(2) == 5\"");
        return list.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.String
            ? Test(e.GetString()!, $"{field}[{i}]")
            : throw new FormatException($"field '{field}[{i}]' must be a string")).ToList();
    }

    static TestCase Test(string text, string field)
    {
        var match = TestPattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, out var input) || !long.TryParse(match.Groups[2].Value, out var expected))
            throw new FormatException($"field '{field}' must look like \"f(2) == 5\", got \"{text}\"");
        return ToyTaskGenerator.Test(input, expected);
    }
}
