namespace Recontext.Model.Training;

/// <summary>AdamW settings and gradient clipping.</summary>
public sealed record OptimizerOptions
{
    /// <summary>Step size. Default 1e-3 (tiny models from scratch); fine-tuning wants ~1e-5..1e-4.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decoupled weight decay. Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.95;

    /// <summary>Largest global gradient L2 norm; 0 turns clipping off. Default 1.</summary>
    public double MaxGradNorm { get; init; } = 1.0;
}
