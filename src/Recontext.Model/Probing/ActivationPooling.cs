namespace Recontext.Model.Probing;

/// <summary>How a completion's residual-stream vectors become one vector per completion.</summary>
public enum ActivationPooling
{
    /// <summary>The mean over the completion's tokens.</summary>
    Mean,
    /// <summary>The completion's last token (what a causal model has read of the whole answer).</summary>
    Last,
}

public static class ActivationPoolings
{
    public static readonly IReadOnlyList<ActivationPooling> All = [ActivationPooling.Mean, ActivationPooling.Last];

    public static string Name(this ActivationPooling pooling) => pooling == ActivationPooling.Mean ? "mean" : "last";

    /// <exception cref="ArgumentException">not "mean" or "last"</exception>
    public static ActivationPooling Parse(string name) => name switch
    {
        "mean" => ActivationPooling.Mean,
        "last" => ActivationPooling.Last,
        _ => throw new ArgumentException($"pooling must be mean or last, got '{name}'"),
    };
}
