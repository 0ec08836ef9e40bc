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
        Steps = Quick ? 6 : 20,
        PromptsPerStep = Quick ? 8 : 16,
        SamplesPerPrompt = Quick ? 4 : 8,
        EvalEvery = Quick ? 3 : 5,
        EvalTasks = Quick ? 32 : 64,
        MaxNewTokens = 120,
    };
}
