namespace Recontext.Model.Generation;

/// <summary>How completions are sampled.</summary>
public sealed record SamplingOptions
{
    /// <summary>Most tokens to generate per completion (stop tokens included). Default 64.</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Softmax temperature; 0 means greedy (argmax). Default 1.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Keep only the k most likely tokens; 0 turns it off. Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>Nucleus sampling: keep the smallest set of tokens whose probability reaches p; 1 turns it off.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Token ids that end a completion; the stop token is kept as the completion's last token.</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    /// <summary>Strings that end a completion; the text is cut before the stop string.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Seed of the sampling random generator; the same seed and inputs give the same samples.</summary>
    public long Seed { get; init; }

    public SamplingOptions Validate()
    {
        if (MaxNewTokens <= 0) throw new ArgumentException($"maxNewTokens must be positive, got {MaxNewTokens}");
        if (Temperature < 0 || double.IsNaN(Temperature)) throw new ArgumentException($"temperature must be >= 0, got {Temperature}");
        if (TopK < 0) throw new ArgumentException($"topK must be >= 0 (0 = off), got {TopK}");
        if (TopP is <= 0 or > 1 || double.IsNaN(TopP)) throw new ArgumentException($"topP must be in (0, 1], got {TopP}");
        if (StopStrings.Any(string.IsNullOrEmpty)) throw new ArgumentException("stopStrings must not contain empty strings");
        return this;
    }
}
