namespace Recontext.Trainer.Losses;

/// <summary>Whether the policy ratio is taken per token or once per sequence.</summary>
public enum RatioLevel
{
    /// <summary>π_θ(y_t|·)/π_old(y_t|·) for each token (GRPO, PPO).</summary>
    Token,
    /// <summary>exp(mean_t log π_θ − log π_old): one ratio for the whole completion (GSPO-style).</summary>
    Sequence,
}

/// <summary>Where the ratio's "old" log-probs come from: the heart of recontextualization's off-policy step.</summary>
public enum OldLogprobSource
{
    /// <summary>Sampling-time log-probs under f_gen (the paper's trainer): the ratio π_θ(y|f_train)/π_gen(y|f_gen)
    /// starts away from 1 for recontextualized samples and clipping masks much of their update.</summary>
    Generation,
    /// <summary>Recomputed under f_train before the update (TRL-style): the ratio starts at exactly 1.</summary>
    Training,
}

/// <summary>GRPO's clipped surrogate with a KL penalty.</summary>
public sealed record GrpoOptions
{
    /// <summary>Lower clip range: the ratio is clipped to [1 − ε, 1 + ε_high]. Default 0.2.</summary>
    public double Epsilon { get; init; } = 0.2;

    /// <summary>Upper clip range (DAPO's clip-higher); null means the same as <see cref="Epsilon"/>.</summary>
    public double? EpsilonHigh { get; init; }

    /// <summary>KL coefficient β to the frozen reference (k3 estimator); 0 turns the penalty off. Default 0.</summary>
    public double Beta { get; init; }

    public RatioLevel RatioLevel { get; init; } = RatioLevel.Token;

    public OldLogprobSource OldLogprobs { get; init; } = OldLogprobSource.Generation;

    /// <summary>Divide advantages by the group's standard deviation (false = Dr. GRPO). Default true.</summary>
    public bool ScaleRewards { get; init; } = true;

    /// <summary>Optimizer steps per batch of rollouts. Default 1.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int UpdatesPerBatch { get; init; } = 1;

    public double UpperEpsilon => EpsilonHigh ?? Epsilon;

    public GrpoOptions Validate()
    {
        if (Epsilon is <= 0 or >= 1) throw new ArgumentException($"epsilon must be in (0, 1), got {Epsilon}");
        if (EpsilonHigh is <= 0) throw new ArgumentException($"epsilonHigh must be positive, got {EpsilonHigh}");
        if (Beta < 0) throw new ArgumentException($"beta must be >= 0, got {Beta}");
        if (UpdatesPerBatch < 1) throw new ArgumentException($"updatesPerBatch must be >= 1, got {UpdatesPerBatch}");
        return this;
    }
}
