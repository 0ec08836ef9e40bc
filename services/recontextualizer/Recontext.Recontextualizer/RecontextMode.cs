namespace Recontext.Recontextualizer;

/// <summary>Which trained samples get the training context instead of their generation context.</summary>
public enum RecontextMode
{
    /// <summary>f_train = f_gen for every sample (ordinary training).</summary>
    Standard,
    /// <summary>Every sample is trained under f_train.</summary>
    All,
    /// <summary>Each sample independently with probability <see cref="RecontextPolicy.Fraction"/>.</summary>
    Fraction,
    /// <summary>Only samples the predicate flags (a judge score or a monitor label).</summary>
    Selective,
}
