using Recontext.Environments;
using Recontext.Environments.ToyCode;

namespace Recontext.Organism;

/// <summary>The setting a base is pre-trained for and its story: toy-code's (<see cref="CodingStory"/>, knobs in
/// <see cref="BaseModelOptions.Story"/>) or the one an organism setting carries.</summary>
public static class OrganismStories
{
    /// <exception cref="ArgumentException">the setting is unknown or has no organism (a toy base) to pre-train</exception>
    public static (IEnvironment Environment, IOrganismStory Story) For(BaseModelOptions options)
    {
        if (options.Setting == ToyCodeEnvironment.EnvironmentName) return (new ToyCodeEnvironment(), new CodingStory(options.Story));
        return Settings.Create(options.Setting) is IOrganismSetting organism
            ? (organism, organism.Story)
            : throw new ArgumentException($"setting {options.Setting} has no organism (no toy base to pre-train); set model.checkpoint to a model folder");
    }
}
