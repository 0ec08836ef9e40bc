using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Recontext.Runs.Config;

/// <summary>
/// Reads one YAML mapping with strict checks: every key must be known, every value of the right type; errors name
/// the field by its path (e.g. <c>grpo.epsilon</c>) and list what is allowed.
/// </summary>
public sealed class YamlFields
{
    readonly YamlMappingNode node;
    readonly string path;
    readonly HashSet<string> used = [];

    public YamlFields(YamlNode node, string path)
    {
        this.path = path;
        this.node = node as YamlMappingNode ?? throw new ExperimentException($"{Name("")} must be a mapping (key: value lines)");
    }

    string Name(string key) => path.Length == 0 ? (key.Length == 0 ? "the file" : key) : key.Length == 0 ? path : $"{path}.{key}";

    YamlNode? Raw(string key)
    {
        used.Add(key);
        foreach (var (k, v) in node.Children)
            if (k is YamlScalarNode s && s.Value == key) return v is YamlScalarNode { Value: null or "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain } ? null : v;
        return null;
    }

    public bool Has(string key) => Raw(key) is not null;

    public string? String(string key, IReadOnlyCollection<string>? allowed = null)
    {
        var raw = Raw(key);
        if (raw is null) return null;
        if (raw is not YamlScalarNode scalar) throw new ExperimentException($"{Name(key)} must be a single value, not a list or mapping");
        var value = scalar.Value ?? "";
        if (allowed is not null && !allowed.Contains(value))
            throw new ExperimentException($"{Name(key)} is '{value}'; allowed: {string.Join(", ", allowed)}");
        return value;
    }

    public string RequiredString(string key, IReadOnlyCollection<string>? allowed = null) =>
        String(key, allowed) ?? throw new ExperimentException($"missing {Name(key)}" + (allowed is null ? "" : $"; allowed: {string.Join(", ", allowed)}"));

    /// <param name="max">the field's own bound (named in the error), where one applies before the run's limits</param>
    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = String(key);
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw new ExperimentException(System.Numerics.BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var big)
                ? big > 0 && max < int.MaxValue ? $"{Name(key)} is {text}; at most {max}" : $"{Name(key)} is {text}: too {(big > 0 ? "large" : "small")} for an integer"
                : $"{Name(key)} must be an integer, got '{text}'");
        if (value < min) throw new ExperimentException($"{Name(key)} must be >= {min}, got {value}");
        if (value > max) throw new ExperimentException($"{Name(key)} is {value}; at most {max}");
        return value;
    }

    public double? Double(string key)
    {
        var text = String(key);
        if (text is null) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value : throw new ExperimentException($"{Name(key)} must be a number, got '{text}'");
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        return text switch
        {
            null => null,
            "true" or "True" or "yes" => true,
            "false" or "False" or "no" => false,
            _ => throw new ExperimentException($"{Name(key)} must be true or false, got '{text}'"),
        };
    }

    public YamlFields? Mapping(string key) => Raw(key) is { } raw ? new YamlFields(raw, Name(key)) : null;

    /// <summary>A list, or a single value read as a one-element list.</summary>
    public IReadOnlyList<YamlNode>? List(string key) => Raw(key) switch
    {
        null => null,
        YamlSequenceNode seq => seq.Children.ToList(),
        var single => [single],
    };

    public string Path(string key) => Name(key);

    /// <summary>Fails on any key no reader asked for.</summary>
    public void RejectUnknown()
    {
        foreach (var (k, _) in node.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "?";
            if (!used.Contains(key))
                throw new ExperimentException($"unknown field '{Name(key)}'; allowed here: {string.Join(", ", used.Order())}");
        }
    }
}

/// <summary>An experiment file is invalid; the message names the field.</summary>
public sealed class ExperimentException(string message) : Exception(message);
