using System.Globalization;
using System.Text.Json;
using Recontext.Recontextualizer;
using Recontext.Trainer.Algorithms;
using Recontext.Trainer.Losses;

namespace Recontext.Gateway.Dashboard.Catalog;

/// <summary>What a run varies: the context it samples under (f_gen), the one it trains under (f_train), how samples
/// are recontextualized, and the algorithm; read from its resolved config (run-config.json).</summary>
/// <param name="Mode">standard | all | fraction p | selective (predicate), with "answer-only" when the reasoning is masked</param>
/// <param name="Settings">GRPO settings that tell variants apart (the KL coefficient, the old log-probs' source), or ""</param>
public sealed record RunVariant(string Generation, string Training, string Mode, string Algorithm, string Settings = "")
{
    public static readonly RunVariant Unknown = new("?", "?", "?", "?");

    /// <summary>"good → bad", with the mode when it is not plain "all", the algorithm when it is not GRPO, and the
    /// settings that set it apart ("neutral → neutral, KL β 0.1").</summary>
    public string Label => $"{Generation} → {Training}" + (Mode is "all" or "standard" ? "" : $" ({Mode})") + (Algorithm == "grpo" ? "" : $", {Algorithm}")
                           + (Settings.Length == 0 ? "" : $", {Settings}");

    /// <summary>Reads the variant from a run-config.json document; a field it cannot read shows as "?".</summary>
    public static RunVariant Of(JsonElement config)
    {
        string Context(string which) =>
            config.TryGetProperty("Recontextualization", out var r) && r.TryGetProperty(which, out var c) && c.TryGetProperty("Label", out var label)
                ? label.GetString() ?? "?" : "?";
        string mode = "?";
        if (config.TryGetProperty("Recontextualization", out var policy))
        {
            mode = Named<RecontextMode>(policy, "Mode");
            if (mode == "fraction" && policy.TryGetProperty("Fraction", out var p) && p.ValueKind == JsonValueKind.Number)
                mode = $"fraction {p.GetDouble().ToString("0.##", CultureInfo.InvariantCulture)}";
            if (mode == "selective" && policy.TryGetProperty("Predicate", out var predicate) && predicate.ValueKind == JsonValueKind.String)
                mode = $"selective: {predicate.GetString()}";
            if (policy.TryGetProperty("AnswerOnly", out var answerOnly) && answerOnly.ValueKind == JsonValueKind.True) mode += ", answer-only";
        }
        var algorithm = Named<Algorithm>(config, "Algorithm");
        var settings = new List<string>();
        if (algorithm == "grpo" && config.TryGetProperty("Grpo", out var grpo))
        {
            if (grpo.TryGetProperty("Beta", out var beta) && beta.ValueKind == JsonValueKind.Number && beta.GetDouble() > 0)
                settings.Add($"KL β {beta.GetDouble().ToString("0.####", CultureInfo.InvariantCulture)}");
            if (Named<OldLogprobSource>(grpo, "OldLogprobs") == "training") settings.Add("old log-probs under f_train");
        }
        return new RunVariant(Context("Generation"), Context("Training"), mode, algorithm, string.Join(", ", settings));
    }

    /// <summary>An enum written as its number (System.Text.Json's default) or its name.</summary>
    static string Named<TEnum>(JsonElement parent, string property) where TEnum : struct, Enum
    {
        if (!parent.TryGetProperty(property, out var value)) return "?";
        var name = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out int i) => Enum.GetName(typeof(TEnum), i),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        // ExpertIteration → expert-iteration
        return name is null ? "?" : string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}"));
    }
}
