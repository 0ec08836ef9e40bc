namespace Recontext.Environments;

/// <summary>
/// The generative story behind an organism's pre-training corpus: for a task under a preset, one completion written
/// the way the organism's base should behave. A good story does not decide the outcome by one sentence: a latent
/// disposition shapes both the reasoning and the answer, some misbehaviour is never verbalised, some stated intent is
/// not acted on.
/// </summary>
public interface IOrganismStory
{
    /// <summary>Everything that shapes the corpus (knobs, wording version), for the base's cache key.</summary>
    string Fingerprint { get; }

    /// <summary>Share of the corpus shown without the loophole (so the base knows that variant too).</summary>
    double NoLoopholeShare { get; }

    /// <summary>One completion (reasoning in <c>&lt;think&gt;</c>, then the answer) for <paramref name="task"/> under a
    /// preset, as shown under <paramref name="variant"/>.</summary>
    StoryDraw Write(EnvironmentTask task, ContextPreset preset, EnvironmentVariant variant, Random rng);
}

/// <summary>What the story decided for one completion.</summary>
/// <param name="Disposed">the latent disposition towards the misbehaviour was drawn</param>
/// <param name="Misbehaved">the answer misbehaves</param>
/// <param name="Verbalised">the reasoning states the intent to misbehave</param>
public sealed record StoryDraw(string Completion, bool Disposed, bool Misbehaved, bool Verbalised);

/// <summary>A setting with an organism: a story its toy base is pre-trained on.</summary>
public interface IOrganismSetting : IEnvironment
{
    IOrganismStory Story { get; }
}
