using System.Text.Json.Serialization;

namespace Recontext.Model;

/// <summary>
/// A config's <c>rope_scaling</c>: how the rotary frequencies are stretched for long contexts. Supported: Llama 3's
/// (<c>rope_type: "llama3"</c>, Llama 3.1 and 3.2) and <c>"default"</c> (no change). Field names are Hugging Face's;
/// the older spelling <c>type</c> is read too.
/// </summary>
public sealed record RopeScaling
{
    public static readonly IReadOnlyList<string> SupportedTypes = ["default", "llama3"];

    [JsonPropertyName("rope_type")] public string? RopeType { get; init; }

    /// <summary>Pre-2024 configs spell <c>rope_type</c> as <c>type</c>.</summary>
    [JsonPropertyName("type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? LegacyType { get; init; }

    [JsonPropertyName("factor")] public double Factor { get; init; } = 1.0;

    [JsonPropertyName("low_freq_factor")] public double LowFrequencyFactor { get; init; } = 1.0;

    [JsonPropertyName("high_freq_factor")] public double HighFrequencyFactor { get; init; } = 4.0;

    [JsonPropertyName("original_max_position_embeddings")] public int OriginalMaxPositionEmbeddings { get; init; } = 8192;

    [JsonIgnore] public string Type => RopeType ?? LegacyType ?? "default";

    /// <summary>Llama 3.1's scaling (factor 8, frequency factors 1 and 4, 8192 original positions).</summary>
    public static RopeScaling Llama31 { get; } = new() { RopeType = "llama3", Factor = 8, LowFrequencyFactor = 1, HighFrequencyFactor = 4, OriginalMaxPositionEmbeddings = 8192 };

    /// <exception cref="ArgumentException">an unsupported type or a field out of range, named</exception>
    public RopeScaling Validate()
    {
        if (!SupportedTypes.Contains(Type))
            throw new ArgumentException($"rope_scaling.rope_type '{Type}' is not supported; supported: {string.Join(", ", SupportedTypes)}");
        if (Type != "llama3") return this;
        if (!(Factor >= 1)) throw new ArgumentException($"rope_scaling.factor must be >= 1, got {Factor}");
        if (!(LowFrequencyFactor > 0)) throw new ArgumentException($"rope_scaling.low_freq_factor must be positive, got {LowFrequencyFactor}");
        if (!(HighFrequencyFactor > LowFrequencyFactor))
            throw new ArgumentException($"rope_scaling.high_freq_factor ({HighFrequencyFactor}) must exceed low_freq_factor ({LowFrequencyFactor})");
        if (OriginalMaxPositionEmbeddings <= 0)
            throw new ArgumentException($"rope_scaling.original_max_position_embeddings must be positive, got {OriginalMaxPositionEmbeddings}");
        return this;
    }

    /// <summary>
    /// Llama 3's rule, per frequency: wavelengths shorter than original/high_freq_factor are kept, longer than
    /// original/low_freq_factor are divided by <see cref="Factor"/>, and the band between blends the two linearly in
    /// original/wavelength.
    /// </summary>
    public double Apply(double inverseFrequency)
    {
        if (Type != "llama3") return inverseFrequency;
        double wavelength = 2 * Math.PI / inverseFrequency;
        double highFrequencyWavelength = OriginalMaxPositionEmbeddings / HighFrequencyFactor;
        double lowFrequencyWavelength = OriginalMaxPositionEmbeddings / LowFrequencyFactor;
        if (wavelength < highFrequencyWavelength) return inverseFrequency;
        if (wavelength > lowFrequencyWavelength) return inverseFrequency / Factor;
        double smooth = (OriginalMaxPositionEmbeddings / wavelength - LowFrequencyFactor) / (HighFrequencyFactor - LowFrequencyFactor);
        return (1 - smooth) * inverseFrequency / Factor + smooth * inverseFrequency;
    }
}
