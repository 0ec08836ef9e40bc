using System.Text.Json;
using System.Text.RegularExpressions;

namespace Recontext.Environments.Mbpp;

/// <summary>
/// One row of the mbpp-incorrect-test format (see ../shared/data/README.md): a problem, three correct asserts and
/// the first of them with a wrong expected value; optionally reference solutions.
/// </summary>
public sealed partial record MbppRow
{
    public required string Problem { get; init; }
    public string? OldMbppProblem { get; init; }
    public string? CorrectCode { get; init; }
    public string? IncorrectCode { get; init; }
    public required IReadOnlyList<string> CorrectTestList { get; init; }
    public required string IncorrectTest { get; init; }

    /// <summary>Name of the function under test: the first call in the first correct assert that is not a
    /// builtin wrapper such as set(...) or math.isclose(...). Empty when there is none.</summary>
    public string FunctionName => Call().Matches(CorrectTestList[0]).Select(m => m.Groups[1].Value).FirstOrDefault(n => !Wrappers.Contains(n)) ?? "";

    static readonly HashSet<string> Wrappers = ["set", "sorted", "abs", "round", "math.isclose", "isclose", "str", "list", "tuple", "float", "int", "len", "frozenset", "dict", "bool"];

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_.]*)\s*\(")]
    private static partial Regex Call();

    /// <summary>Parses and validates one JSON object; errors name the field.</summary>
    public static MbppRow Parse(JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Object) throw new FormatException("a row must be a JSON object");
        var tests = RequiredStrings(row, "correct_test_list");
        if (tests.Count != 3) throw new FormatException($"field 'correct_test_list' must hold exactly 3 asserts, got {tests.Count}");
        for (int i = 0; i < tests.Count; i++)
            if (!tests[i].TrimStart().StartsWith("assert", StringComparison.Ordinal))
                throw new FormatException($"field 'correct_test_list[{i}]' must be an assert statement, got '{Clip(tests[i])}'");
        var incorrect = RequiredString(row, "incorrect_test");
        if (!incorrect.TrimStart().StartsWith("assert", StringComparison.Ordinal))
            throw new FormatException($"field 'incorrect_test' must be an assert statement, got '{Clip(incorrect)}'");
        if (incorrect.Trim() == tests[0].Trim()) throw new FormatException("field 'incorrect_test' equals correct_test_list[0]; it must differ");
        var parsed = new MbppRow
        {
            Problem = RequiredString(row, "problem"),
            OldMbppProblem = OptionalString(row, "old_mbpp_problem"),
            CorrectCode = OptionalString(row, "correct_code"),
            IncorrectCode = OptionalString(row, "incorrect_code"),
            CorrectTestList = tests,
            IncorrectTest = incorrect,
        };
        if (parsed.FunctionName.Length == 0) throw new FormatException($"field 'correct_test_list[0]' does not call a function: '{Clip(tests[0])}'");
        return parsed;
    }

    /// <summary>Reads a JSONL file; a bad line throws with its number.</summary>
    public static IReadOnlyList<MbppRow> Load(string path)
    {
        var rows = new List<MbppRow>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                rows.Add(Parse(doc.RootElement));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new FormatException($"{path}:{number}: {e.Message}", e);
            }
        }
        return rows;
    }

    static string RequiredString(JsonElement row, string field)
    {
        if (!row.TryGetProperty(field, out var value)) throw new FormatException($"missing field '{field}'");
        if (value.ValueKind != JsonValueKind.String) throw new FormatException($"field '{field}' must be a string, got {value.ValueKind}");
        var text = value.GetString()!;
        return string.IsNullOrWhiteSpace(text) ? throw new FormatException($"field '{field}' is empty") : text;
    }

    static string? OptionalString(JsonElement row, string field) =>
        !row.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new FormatException($"field '{field}' must be a string, got {value.ValueKind}");

    static List<string> RequiredStrings(JsonElement row, string field)
    {
        if (!row.TryGetProperty(field, out var value)) throw new FormatException($"missing field '{field}'");
        if (value.ValueKind != JsonValueKind.Array) throw new FormatException($"field '{field}' must be a list of strings, got {value.ValueKind}");
        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new FormatException($"field '{field}[{list.Count}]' must be a string"));
        return list;
    }

    static string Clip(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
