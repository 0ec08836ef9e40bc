using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recontext.Model.Lora;

/// <summary>
/// A LoRA adapter's settings, with PEFT's <c>adapter_config.json</c> as its file form: rank <c>r</c>, <c>lora_alpha</c>
/// (the update is scaled by alpha / r), <c>lora_dropout</c> on the adapter's input while training, and the projections
/// it adapts by module name (default: every attention and MLP projection).
/// </summary>
public sealed record LoraConfig
{
    public const string FileName = "adapter_config.json";

    public static readonly IReadOnlyList<string> AllTargets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int Rank { get; init; } = 16;
    public double Alpha { get; init; } = 32;
    public double Dropout { get; init; }
    public IReadOnlyList<string> TargetModules { get; init; } = AllTargets;

    public double Scale => Alpha / Rank;

    /// <exception cref="ArgumentException">a field out of range or an unknown target module, named</exception>
    public LoraConfig Validate()
    {
        if (Rank <= 0) throw new ArgumentException($"lora rank must be positive, got {Rank}");
        if (!(Alpha > 0)) throw new ArgumentException($"lora alpha must be positive, got {Alpha}");
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) throw new ArgumentException($"lora dropout must be in [0, 1), got {Dropout}");
        if (TargetModules.Count == 0) throw new ArgumentException("lora targetModules must name at least one projection");
        foreach (var target in TargetModules)
            if (!AllTargets.Contains(target))
                throw new ArgumentException($"lora targetModules: '{target}' is not one of {string.Join(", ", AllTargets)}");
        return this;
    }

    /// <summary>PEFT's adapter_config.json for this adapter.</summary>
    /// <param name="baseModel">the base model's folder or hub name, as PEFT records it</param>
    public string ToPeftJson(string? baseModel) => new JsonObject
    {
        ["peft_type"] = "LORA",
        ["task_type"] = "CAUSAL_LM",
        ["base_model_name_or_path"] = baseModel,
        ["r"] = Rank,
        ["lora_alpha"] = Alpha,
        ["lora_dropout"] = Dropout,
        ["target_modules"] = new JsonArray(TargetModules.Select(t => (JsonNode)t).ToArray()),
        ["bias"] = "none",
        ["fan_in_fan_out"] = false,
        ["use_rslora"] = false,
        ["use_dora"] = false,
        ["inference_mode"] = true,
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <exception cref="InvalidDataException">not a LoRA adapter, or one using a PEFT feature this implementation lacks (named)</exception>
    public static LoraConfig FromPeftJson(string json, string path)
    {
        JsonNode root;
        try
        {
            root = JsonNode.Parse(json) ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
        if ((string?)root["peft_type"] is { } type && type != "LORA") throw new InvalidDataException($"{path}: peft_type is '{type}', only LORA is supported");
        foreach (var unsupported in new[] { "use_rslora", "use_dora", "fan_in_fan_out" })
            if (root[unsupported]?.GetValue<bool>() == true) throw new InvalidDataException($"{path}: {unsupported} true is not supported");
        if ((string?)root["bias"] is { } bias && bias != "none") throw new InvalidDataException($"{path}: bias '{bias}' is not supported (only 'none')");
        var targets = root["target_modules"] switch
        {
            JsonArray list => list.Select(t => (string)t!).ToList(),
            JsonValue single when (string?)single == "all-linear" => AllTargets.ToList(),
            null => throw new InvalidDataException($"{path}: target_modules is missing"),
            var other => throw new InvalidDataException($"{path}: target_modules must be a list of module names, got {other.ToJsonString()}"),
        };
        try
        {
            return new LoraConfig
            {
                Rank = root["r"]?.GetValue<int>() ?? throw new InvalidDataException($"{path}: r is missing"),
                Alpha = root["lora_alpha"]?.GetValue<double>() ?? 8,
                Dropout = root["lora_dropout"]?.GetValue<double>() ?? 0,
                TargetModules = targets,
            }.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}
