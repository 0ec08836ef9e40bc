using Recontext.Model;
using Recontext.Prompts.Tokenization;

namespace Recontext.Organism;

/// <summary>Size and training budget of the toy base model.</summary>
public sealed record BaseModelOptions
{
    /// <summary>The setting whose story the base is pre-trained on (toy-code's knobs are <see cref="Story"/>; every other
    /// organism's story comes with its setting, <see cref="Environments.IOrganismSetting"/>). A run sets it
    /// from its environment.</summary>
    public string Setting { get; init; } = Environments.ToyCode.ToyCodeEnvironment.EnvironmentName;

    /// <summary>toy-code's story knobs.</summary>
    public StoryKnobs Story { get; init; } = new();

    public int DModel { get; init; } = 128;

    public int Layers { get; init; } = 3;

    public int Steps { get; init; } = 1200;

    public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate: linear warm-up over the first 5 % of steps, then cosine decay to 10 %.</summary>
    public double LearningRate { get; init; } = 3e-3;

    public long Seed { get; init; } = 1;

    /// <summary>The quick preset: a smaller, shorter-trained base for `--quick` runs and tests.</summary>
    public static BaseModelOptions Quick => new() { DModel = 96, Layers = 2, Steps = 240 };

    /// <summary>Learning rate at a step (0-based) of the schedule.</summary>
    public double LearningRateAt(int step)
    {
        int warmup = Math.Max(1, Steps / 20);
        if (step < warmup) return LearningRate * (step + 1) / warmup;
        double progress = (double)(step - warmup) / Math.Max(1, Steps - warmup);
        return LearningRate * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }

    public TransformerConfig ModelConfig => new()
    {
        ModelType = "qwen3",
        VocabSize = new ByteTokenizer().VocabSize,
        HiddenSize = DModel,
        IntermediateSize = 3 * DModel,
        NumHiddenLayers = Layers,
        NumAttentionHeads = Math.Max(2, DModel / 32),
        NumKeyValueHeads = Math.Max(1, DModel / 64),
        MaxPositionEmbeddings = 512,
        EosTokenId = ByteTokenizer.ImEnd,
    };

    public BaseModelOptions Validate()
    {
        Story.Validate();
        OrganismStories.For(this);   // throws naming the setting when it has no organism
        if (DModel < 16 || DModel % 32 != 0) throw new ArgumentException($"base.dModel must be a multiple of 32, at least 32; got {DModel}");
        if (Layers < 1) throw new ArgumentException($"base.layers must be >= 1, got {Layers}");
        if (Steps < 1) throw new ArgumentException($"base.steps must be >= 1, got {Steps}");
        if (BatchSize < 1) throw new ArgumentException($"base.batchSize must be >= 1, got {BatchSize}");
        if (LearningRate <= 0) throw new ArgumentException($"base.learningRate must be positive, got {LearningRate}");
        ModelConfig.Validate();
        return this;
    }

    /// <summary>Cache key: everything that shapes the weights (toy-code's keys are those of the bases cached before
    /// other settings existed; another setting's key holds its name and its story's fingerprint).</summary>
    public string Key => Setting == Environments.ToyCode.ToyCodeEnvironment.EnvironmentName
        ? Story.Hash($"d{DModel}-l{Layers}-s{Steps}-b{BatchSize}-lr{LearningRate}-seed{Seed}-v3")   // bump the suffix when the story's wording changes
        : $"{Setting}-" + Story.Hash($"{Setting}|{OrganismStories.For(this).Story.Fingerprint}|d{DModel}-l{Layers}-s{Steps}-b{BatchSize}-lr{LearningRate}-seed{Seed}");
}
