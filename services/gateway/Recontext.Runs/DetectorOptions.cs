using Recontext.Contracts;
using Recontext.Model.Probing;

namespace Recontext.Runs;

/// <summary>
/// A run's detector (<c>detector:</c> in an experiment file): a probe file `recontext probe train` wrote, frozen for the
/// run, optionally with its threshold moved to a target true-positive rate on the probe's validation data (a weak
/// detector: a low TPR; a strong one: a high TPR). The generator applies it to every completion it samples, training
/// and evaluation alike (<see cref="DetectorSpec"/>).
/// </summary>
public sealed record DetectorOptions
{
    /// <summary>The probe file (absolute once validated, so every role and a resumed run read the same file).</summary>
    public required string Probe { get; init; }

    /// <summary>Flag this share of the validation positives; null: the threshold the file holds.</summary>
    public double? TargetTpr { get; init; }

    /// <exception cref="ArgumentException">no such file, a damaged one, or a target outside (0, 1] (the message names the field)</exception>
    public LinearProbe Load()
    {
        if (TargetTpr is { } t && (t is <= 0 or > 1 || double.IsNaN(t))) throw new ArgumentException($"detector.targetTpr must be in (0, 1], got {t}");
        LinearProbe probe;
        try { probe = LinearProbe.Load(Probe); }
        catch (Exception e) when (e is FileNotFoundException or FormatException) { throw new ArgumentException($"detector.probe: {e.Message}", e); }
        return TargetTpr is double target ? probe.AtTargetTpr(target) : probe;
    }

    /// <summary>What travels with each batch.</summary>
    public static DetectorSpec Spec(LinearProbe probe) => new()
    {
        Layer = probe.Layer, Pooling = probe.Pooling.Name(), Weights = probe.Weights, Bias = probe.Bias, Threshold = probe.Threshold,
    };
}
