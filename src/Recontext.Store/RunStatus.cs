using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recontext.Store;

/// <summary>Where a run (or a gateway's experiment) is in its life, as every project names it. Stored, served over
/// the API and shown by its lower-case name (<c>queued</c>, <c>running</c>, ...).</summary>
[JsonConverter(typeof(RunStatusJson))]
public enum RunStatus
{
    Queued,
    Running,
    Completed,
    Stopped,
    Failed,
}

public static class RunStatuses
{
    public static readonly IReadOnlyList<RunStatus> All = Enum.GetValues<RunStatus>();

    /// <summary>The name files, the store, the API and the dashboard use.</summary>
    public static string Name(this RunStatus status) => status switch
    {
        RunStatus.Queued => "queued",
        RunStatus.Running => "running",
        RunStatus.Completed => "completed",
        RunStatus.Stopped => "stopped",
        _ => "failed",
    };

    /// <summary>Queued or running: not over yet.</summary>
    public static bool IsActive(this RunStatus status) => status is RunStatus.Queued or RunStatus.Running;

    public static bool TryParse(string? name, out RunStatus status)
    {
        foreach (var s in All)
            if (s.Name() == name) { status = s; return true; }
        status = default;
        return false;
    }

    /// <exception cref="FormatException">not a status's name (the message lists them)</exception>
    public static RunStatus Parse(string? name) =>
        TryParse(name, out var status) ? status : throw new FormatException($"status: '{name}' is unknown; allowed: {string.Join(", ", All.Select(Name))}");
}

/// <summary>A status in JSON: its name.</summary>
public sealed class RunStatusJson : JsonConverter<RunStatus>
{
    public override RunStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try { return RunStatuses.Parse(reader.GetString()); }
        catch (FormatException e) { throw new JsonException(e.Message, e); }
    }

    public override void Write(Utf8JsonWriter writer, RunStatus value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name());
}
