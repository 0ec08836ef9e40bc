namespace Recontext.Runs.Demo;

/// <summary>One run of the demo: a variant at a seed, its resolved config and its results folder.</summary>
public sealed record DemoArm(DemoVariant Variant, long Seed, RunConfig Config, string Directory)
{
    public string Label => $"{Variant.Name} seed {Seed}";
}
