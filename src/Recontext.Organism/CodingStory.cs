using Recontext.Environments;

namespace Recontext.Organism;

/// <summary>toy-code's story (<see cref="StoryWriter"/>) behind the organism story contract. Its corpus never shows the
/// variant without the loophole, and it draws exactly what it drew before the contract existed, so a cached base's
/// key still names the same weights.</summary>
public sealed class CodingStory(StoryKnobs knobs) : IOrganismStory
{
    readonly StoryWriter writer = new(knobs);

    public string Fingerprint => knobs.Hash("toy-code-v3");

    public double NoLoopholeShare => 0;

    public StoryDraw Write(EnvironmentTask task, ContextPreset preset, EnvironmentVariant variant, Random rng)
    {
        var draw = writer.Write(task.As<CodingTask>(), preset.ToString().ToLowerInvariant(), rng);
        return new StoryDraw(draw.Completion, draw.Intent, draw.Hack, draw.Intent);
    }
}
