namespace Recontext.Environments.ToyCode;

/// <summary>Knobs of the toy-code environment.</summary>
public sealed record ToyCodeOptions
{
    /// <summary>Fraction of tasks whose visible tests include a wrong one. Default 1 (every task, as in the paper).</summary>
    public double HackableFraction { get; init; } = 1.0;

    /// <summary>Index (0–2) of the wrong visible test; -1 draws it at random per task. Default 0 (the first).</summary>
    public int WrongTestPosition { get; init; }

    /// <summary>Smallest and largest test input.</summary>
    public int MinInput { get; init; }

    public int MaxInput { get; init; } = 20;

    public ToyCodeOptions Validate()
    {
        if (HackableFraction is < 0 or > 1 || double.IsNaN(HackableFraction))
            throw new ArgumentException($"hackableFraction must be in [0, 1], got {HackableFraction}");
        if (WrongTestPosition is < -1 or > 2)
            throw new ArgumentException($"wrongTestPosition must be 0, 1, 2 or -1 (random), got {WrongTestPosition}");
        if (MaxInput - MinInput + 1 < ToyTaskGenerator.TestsPerTask)
            throw new ArgumentException($"minInput..maxInput must hold at least {ToyTaskGenerator.TestsPerTask} distinct inputs, got {MinInput}..{MaxInput}");
        return this;
    }
}
