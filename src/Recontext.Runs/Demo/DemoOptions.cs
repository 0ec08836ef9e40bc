namespace Recontext.Runs.Demo;

/// <summary>Settings of `recontext demo`.</summary>
public sealed record DemoOptions
{
    public bool Quick { get; init; }
    public int Seeds { get; init; } = 3;
    public long FirstSeed { get; init; } = 1;
    public required string OutputDirectory { get; init; }

    /// <summary>β of the strong-KL baseline.</summary>
    public double StrongKl { get; init; } = 0.2;

    /// <summary>The shared run config every variant starts from.</summary>
    public RunConfig BaseConfig(Organism.BaseModelOptions baseModel) => new()
    {
        Base = baseModel,
        // Sized for the 15-minute budget on 2 cores (8 trained variants × 3 seeds); see docs/organism.md.
        Steps = Quick ? 4 : 16,
        PromptsPerStep = Quick ? 6 : 12,
        SamplesPerPrompt = Quick ? 4 : 6,
        EvalEvery = Quick ? 4 : 8,
        EvalTasks = Quick ? 24 : 48,
        MaxNewTokens = 120,
    };
}
