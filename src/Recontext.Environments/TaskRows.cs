using System.Text.Json;

namespace Recontext.Environments;

/// <summary>Reading a setting's JSON task row, with errors that name the field.</summary>
public static class TaskRows
{
    /// <exception cref="FormatException">the row is not a JSON object</exception>
    public static JsonElement Object(JsonElement row) =>
        row.ValueKind == JsonValueKind.Object ? row : throw new FormatException("a row must be a JSON object");

    /// <exception cref="FormatException">the field is missing, not a string, empty or longer than 200 characters</exception>
    public static string Text(JsonElement row, string field) =>
        row.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 and <= 200 } s
            ? s : throw new FormatException($"field '{field}' must be a string of 1 to 200 characters");

    /// <summary>The id the row carries (a task keeps the id it was drawn with: a context's paraphrase is picked by it), else
    /// <paramref name="fallback"/>.</summary>
    public static string Id(JsonElement row, string fallback) =>
        row.ValueKind == JsonValueKind.Object && row.TryGetProperty("id", out var given) && given.ValueKind == JsonValueKind.String
        && given.GetString() is { Length: > 0 and <= 200 } text ? text : fallback;

    /// <summary>The task's family where the row names one, else empty.</summary>
    public static string Family(JsonElement row) =>
        row.TryGetProperty("family", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "";
}
