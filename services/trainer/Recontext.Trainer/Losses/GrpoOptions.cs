namespace Recontext.Trainer.Losses;

/// <summary>Whether the policy ratio is taken per token or once per sequence.</summary>
public enum RatioLevel
{
    /// <summary>π_θ(y_t|·)/π_old(y_t|·) for each token (GRPO, PPO).</summary>
    Token,
    /// <summary>exp(mean_t log π_θ − log π_old): one ratio for the whole completion (GSPO-style).</summary>
    Sequence,
    /// <summary>exp(Σ_t log π_θ − log π_old): the ratio of the whole completion's probabilities, summed log-probs (the
    /// paper's GRPO code, in its deception setting).</summary>
    SequenceSum,
}

/// <summary>The context the KL reference scores a completion under.</summary>
public enum KlReference
{
    /// <summary>Under f_train, the context the policy is trained under.</summary>
    Training,
    /// <summary>Under f_gen, the context the completion was sampled under (the paper's GRPO code): KL(π_θ(·|f_train) ‖
    /// π_ref(·|f_gen)) also pulls the trained context towards what the reference does under the sampling one.</summary>
    Generation,
}

/// <summary>Where the KL penalty enters.</summary>
public enum KlPlacement
{
    /// <summary>β · k3 KL per token added to the loss (GRPO, TRL).</summary>
    Loss,
    /// <summary>β · Σ_t (log π_old − log π_ref) subtracted from each completion's reward before the group advantages (k1
    /// per token, summed: PPO's classic reward penalty, the paper's GRPO code); the loss has no KL term.</summary>
    Reward,
}

/// <summary>An off-policy correction for the gap between the sampler (π_gen under f_gen) and the recomputed old policy
/// (π_old under f_train): the mismatch recontextualization makes on purpose. With <see cref="OldLogprobSource.Training"/>
/// only: the clipped ratio then starts at 1 and the weight carries the gap.</summary>
public enum ImportanceCorrection
{
    None,
    /// <summary>Each token's loss times min(π_old/π_gen, cap) (truncated importance sampling, as in TRL's and verl's
    /// rollout corrections).</summary>
    TokenTruncate,
    /// <summary>A completion whose weight, the geometric mean of its tokens' π_old/π_gen, leaves [low, high] is left out
    /// of the loss (masked importance sampling).</summary>
    SequenceMask,
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

    /// <summary>The context the reference scores completions under (<c>klReference</c>). Default training.</summary>
    public KlReference KlReference { get; init; } = KlReference.Training;

    /// <summary>KL in the loss or in the reward (<c>klIn</c>). Default loss.</summary>
    public KlPlacement KlIn { get; init; } = KlPlacement.Loss;

    /// <summary>Coefficient of the mean token entropy subtracted from the loss (an entropy bonus); 0 turns it off.</summary>
    public double EntropyCoefficient { get; init; }

    /// <summary>The off-policy correction (<c>importanceCorrection</c>). Default none.</summary>
    public ImportanceCorrection ImportanceCorrection { get; init; } = ImportanceCorrection.None;

    /// <summary>The truncation of <see cref="ImportanceCorrection.TokenTruncate"/>'s weights. Default 2.</summary>
    public double ImportanceCap { get; init; } = 2.0;

    /// <summary>The band <see cref="ImportanceCorrection.SequenceMask"/> keeps. Default [0.5, 2].</summary>
    public double ImportanceLow { get; init; } = 0.5;

    public double ImportanceHigh { get; init; } = 2.0;

    public double UpperEpsilon => EpsilonHigh ?? Epsilon;

    public GrpoOptions Validate()
    {
        if (Epsilon is <= 0 or >= 1) throw new ArgumentException($"epsilon must be in (0, 1), got {Epsilon}");
        if (EpsilonHigh is <= 0) throw new ArgumentException($"epsilonHigh must be positive, got {EpsilonHigh}");
        if (Beta < 0) throw new ArgumentException($"beta must be >= 0, got {Beta}");
        if (UpdatesPerBatch < 1) throw new ArgumentException($"updatesPerBatch must be >= 1, got {UpdatesPerBatch}");
        if (EntropyCoefficient < 0 || double.IsNaN(EntropyCoefficient)) throw new ArgumentException($"grpo.entropyCoefficient must be >= 0, got {EntropyCoefficient}");
        if (ImportanceCap < 1 || double.IsNaN(ImportanceCap)) throw new ArgumentException($"grpo.importanceCap must be >= 1, got {ImportanceCap}");
        if (!(ImportanceLow > 0 && ImportanceLow < 1 && ImportanceHigh > 1))
            throw new ArgumentException($"grpo.importanceLow and importanceHigh must bracket 1 (0 < low < 1 < high), got [{ImportanceLow}, {ImportanceHigh}]");
        if (ImportanceCorrection != ImportanceCorrection.None && OldLogprobs != OldLogprobSource.Training)
            throw new ArgumentException("grpo.importanceCorrection needs oldLogprobs: training (with generation old log-probs the ratio already divides by the sampler)");
        return this;
    }
}
