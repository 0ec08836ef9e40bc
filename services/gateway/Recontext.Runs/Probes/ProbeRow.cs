using System.Text.Json;
using System.Text.Json.Nodes;
using Recontext.Contracts;

namespace Recontext.Runs.Probes;

/// <summary>
/// One labelled completion of a probe's data file (JSONL): the chat it answered, the completion's text and its label
/// (true: a positive, e.g. deceptive), with where it came from when a setting sampled it. Any binary label works: a
/// user's own file needs only <c>messages</c>, <c>completion</c> and <c>label</c>.
/// </summary>
public sealed record ProbeRow(IReadOnlyList<ChatMessage> Messages, string Completion, bool Label, string? Context = null, string? TaskId = null)
{
    static readonly string[] Roles = ["system", "user", "assistant"];

    public JsonObject ToJson()
    {
        var row = new JsonObject
        {
            ["messages"] = new JsonArray(Messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray()),
            ["completion"] = Completion, ["label"] = Label,
        };
        if (Context is not null) row["context"] = Context;
        if (TaskId is not null) row["task"] = TaskId;
        return row;
    }

    public static void Save(string path, IEnumerable<ProbeRow> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllLines(path, rows.Select(r => r.ToJson().ToJsonString()));
    }

    /// <exception cref="FormatException">a line that is not a valid row (the message names the file, line and field)</exception>
    public static IReadOnlyList<ProbeRow> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"data file '{path}' does not exist", path);
        var rows = new List<ProbeRow>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try { rows.Add(Parse(line)); }
            catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
            {
                throw new FormatException($"{path} line {number}: {e.Message}", e);
            }
        }
        if (rows.Count == 0) throw new FormatException($"{path} holds no rows");
        return rows;
    }

    static ProbeRow Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var row = document.RootElement;
        if (row.ValueKind != JsonValueKind.Object) throw new FormatException("a row must be a JSON object");
        if (!row.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
            throw new FormatException("field 'messages' must be a non-empty array of {role, content}");
        var chat = messages.EnumerateArray().Select((m, i) =>
        {
            string Field(string name) => m.ValueKind == JsonValueKind.Object && m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()! : throw new FormatException($"field 'messages[{i}].{name}' must be a string");
            var role = Field("role");
            if (!Roles.Contains(role)) throw new FormatException($"field 'messages[{i}].role' must be one of {string.Join(", ", Roles)}, got '{role}'");
            return new ChatMessage(role, Field("content"));
        }).ToArray();
        if (!row.TryGetProperty("completion", out var completion) || completion.ValueKind != JsonValueKind.String || completion.GetString()!.Length == 0)
            throw new FormatException("field 'completion' must be a non-empty string");
        if (!row.TryGetProperty("label", out var label)) throw new FormatException("field 'label' is missing (true/false or 1/0)");
        bool positive = label.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when label.GetDouble() is 0 or 1 => label.GetDouble() == 1,
            _ => throw new FormatException("field 'label' must be true/false or 1/0"),
        };
        string? Optional(string name) => row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new ProbeRow(chat, completion.GetString()!, positive, Optional("context"), Optional("task"));
    }
}
