namespace Recontext.Recontextualizer;

/// <summary>A run's context functions and which samples are recontextualized.</summary>
public sealed record RecontextPolicy
{
    public ContextSpec Generation { get; init; } = ContextSpec.Of("neutral");

    public ContextSpec Training { get; init; } = ContextSpec.Of("neutral");

    public RecontextMode Mode { get; init; } = RecontextMode.All;

    /// <summary>Probability of recontextualizing a sample in <see cref="RecontextMode.Fraction"/> mode.</summary>
    public double Fraction { get; init; } = 1.0;

    /// <summary>The flagging predicate of <see cref="RecontextMode.Selective"/> mode.</summary>
    public string? Predicate { get; init; }

    /// <summary>Train only on the answer: mask the &lt;think&gt;...&lt;/think&gt; span out of the loss.</summary>
    public bool AnswerOnly { get; init; }

    /// <summary>Named variants: neutral->bad, good->bad, inoculation (bad->bad), distillation (X->neutral) ...</summary>
    public static RecontextPolicy FromPreset(string preset)
    {
        var parts = preset.Split("->", StringSplitOptions.TrimEntries);
        if (preset == "inoculation") parts = ["bad", "bad"];
        if (parts.Length != 2 || parts.Any(p => !ContextSpec.Presets.Contains(p)))
            throw new ArgumentException($"recontextualization preset '{preset}' is unknown; write GEN->TRAIN with GEN and TRAIN among {string.Join(", ", ContextSpec.Presets)}, or 'inoculation'");
        return new RecontextPolicy
        {
            Generation = ContextSpec.Of(parts[0]),
            Training = ContextSpec.Of(parts[1]),
            Mode = parts[0] == parts[1] ? RecontextMode.Standard : RecontextMode.All,
        };
    }

    public RecontextPolicy Validate()
    {
        if (Fraction is < 0 or > 1 || double.IsNaN(Fraction)) throw new ArgumentException($"recontextualization.fraction must be in [0, 1], got {Fraction}");
        if (Mode == RecontextMode.Selective)
        {
            if (string.IsNullOrWhiteSpace(Predicate))
                throw new ArgumentException($"recontextualization.predicate is required in selective mode; allowed: {string.Join(", ", SamplePredicate.Allowed)}");
            SamplePredicate.Parse(Predicate);
        }
        return this;
    }
}
