using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recontext.Model.Probing;

/// <summary>
/// A logistic-regression probe on one layer's pooled residual stream (<see cref="ResidualStream"/>): the detector's
/// score is σ(w·x + b), and a score at or above <see cref="Threshold"/> flags. Saved as a small JSON file with how it was
/// chosen and what it measured: validation and held-out AUROC, TPR and FPR, and both splits' scores, so the threshold
/// can be moved to a target true-positive rate later (<see cref="AtTargetTpr"/>) with the held-out rates recomputed.
/// </summary>
public sealed record LinearProbe
{
    public const string CurrentFormat = "recontext-probe/1";

    public string Format { get; init; } = CurrentFormat;

    /// <summary>What a positive is ("deceptive", or the label a setting provides).</summary>
    public required string Label { get; init; }

    /// <summary>The model the probe reads: hidden size and decoder layers, checked before it scores anything.</summary>
    public required int HiddenSize { get; init; }
    public required int LayerCount { get; init; }

    public required int Layer { get; init; }
    public required ActivationPooling Pooling { get; init; }
    public required double Lambda { get; init; }
    public required double[] Weights { get; init; }
    public required double Bias { get; init; }
    public required double Threshold { get; init; }

    /// <summary>The true-positive rate the threshold was set for on validation data; null: the threshold is 0.5.</summary>
    public double? TargetTpr { get; init; }

    public required ProbeMetrics Validation { get; init; }
    public required ProbeMetrics HeldOut { get; init; }
    public required ScoredLabels ValidationScores { get; init; }
    public required ScoredLabels HeldOutScores { get; init; }
    public IReadOnlyList<ProbeCandidate> Candidates { get; init; } = [];

    public double Score(ReadOnlySpan<float> activation) => LogisticRegression.Probability(Weights, Bias, activation);

    /// <summary>The same probe with its threshold set to flag <paramref name="targetTpr"/> of the validation positives, and
    /// its validation and held-out rates at that threshold.</summary>
    public LinearProbe AtTargetTpr(double targetTpr)
    {
        double threshold = BinaryMetrics.ThresholdForTpr(ValidationScores.Scores, ValidationScores.Labels, targetTpr);
        return this with
        {
            Threshold = threshold,
            TargetTpr = targetTpr,
            Validation = ProbeMetrics.Of(ValidationScores.Scores, ValidationScores.Labels, threshold),
            HeldOut = ProbeMetrics.Of(HeldOutScores.Scores, HeldOutScores.Labels, threshold),
        };
    }

    /// <exception cref="ArgumentException">the probe was fitted on another model shape (named)</exception>
    public void CheckFits(int hiddenSize, int layerCount, string model)
    {
        if (hiddenSize != HiddenSize || Layer >= layerCount)
            throw new ArgumentException($"the probe reads layer {Layer} of a model with hidden size {HiddenSize}; {model} has hidden size {hiddenSize} and layers 0..{layerCount - 1}");
    }

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <exception cref="FormatException">the file is not a probe this version reads (the message names the file and field)</exception>
    /// <exception cref="FileNotFoundException">no such file</exception>
    public static LinearProbe Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"probe file '{path}' does not exist", path);
        LinearProbe? probe;
        try { probe = JsonSerializer.Deserialize<LinearProbe>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new FormatException($"{path}: not a probe file ({e.Message})", e); }
        if (probe is null) throw new FormatException($"{path}: empty probe file");
        return probe.Validate(path);
    }

    LinearProbe Validate(string path)
    {
        string Bad(string field, string why) => $"{path}: field '{field}' {why}";
        if (Format != CurrentFormat) throw new FormatException(Bad("format", $"is '{Format}', this version reads '{CurrentFormat}'"));
        if (HiddenSize < 1 || LayerCount < 1) throw new FormatException(Bad("hiddenSize", "and layerCount must be positive"));
        if (Layer < 0 || Layer >= LayerCount) throw new FormatException(Bad("layer", $"must be in 0..{LayerCount - 1}, got {Layer}"));
        if (Weights is null || Weights.Length != HiddenSize) throw new FormatException(Bad("weights", $"must hold {HiddenSize} numbers"));
        if (Weights.Any(w => !double.IsFinite(w)) || !double.IsFinite(Bias)) throw new FormatException(Bad("weights", "and bias must be finite"));
        if (Threshold is < 0 or > 1 || double.IsNaN(Threshold)) throw new FormatException(Bad("threshold", $"must be in [0, 1], got {Threshold}"));
        if (ValidationScores is null || ValidationScores.Scores.Count != ValidationScores.Labels.Count || ValidationScores.Scores.Count == 0)
            throw new FormatException(Bad("validationScores", "must hold as many labels as scores"));
        if (HeldOutScores is null || HeldOutScores.Scores.Count != HeldOutScores.Labels.Count)
            throw new FormatException(Bad("heldOutScores", "must hold as many labels as scores"));
        return this;
    }
}
