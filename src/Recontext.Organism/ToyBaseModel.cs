using Recontext.Environments;
using Recontext.Model.Checkpoints;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;

namespace Recontext.Organism;

/// <summary>
/// Pre-trains the organism's base model by SFT on the story corpus, or loads it from the cache
/// (<c>CACHE/base-HASH</c>, keyed by every knob, size and seed), so runs reuse it.
/// </summary>
public static class ToyBaseModel
{
    public static readonly string[] CorpusContexts = ["neutral", "good", "bad"];

    static readonly ContextPreset[] CorpusPresets = [ContextPreset.Neutral, ContextPreset.Good, ContextPreset.Bad];

    /// <summary>One corpus example's context: a preset drawn uniformly, one of its training phrasings, and the variant
    /// without the loophole for the story's share of examples (draws nothing it does not need, so toy-code's corpus is
    /// what it was before phrasings and variants existed).</summary>
    static (PromptContext Context, ContextPreset Preset) CorpusContext(IEnvironment environment, IOrganismStory story, Random rng)
    {
        var preset = CorpusPresets[rng.Next(CorpusPresets.Length)];
        var phrasings = environment.Instructions(preset).Training;
        var variant = story.NoLoopholeShare > 0 && rng.NextDouble() < story.NoLoopholeShare ? EnvironmentVariant.NoLoophole : EnvironmentVariant.Loophole;
        IReadOnlyList<string> phrasing = phrasings.Count <= 1 ? phrasings : [phrasings[rng.Next(phrasings.Count)]];
        return (PromptContext.Of(preset.ToString().ToLowerInvariant(), phrasing, InstructionPlacement.UserSuffix, variant), preset);
    }

    /// <summary>Progress of pre-training: step, steps, current loss.</summary>
    public sealed record Progress(int Step, int Steps, float Loss);

    /// <returns>the checkpoint directory (config.json + model.safetensors)</returns>
    public static string TrainOrLoad(BaseModelOptions options, string cacheDirectory, IProgress<Progress>? progress = null)
    {
        options.Validate();
        var directory = Path.Combine(cacheDirectory, $"base-{options.Key}");
        if (File.Exists(Path.Combine(directory, Checkpoint.WeightsFile))) return directory;
        if (ShippedBases.Find(options.Key) is { } shipped)
        {
            ShippedBases.CopyTo(shipped, directory);
            return directory;
        }

        var tokenizer = new ByteTokenizer();
        var (environment, story) = OrganismStories.For(options);
        var prompts = new PromptTokens(environment, ModelText.Organism);
        var rng = new Random((int)options.Seed);

        using var model = CausalLm.Create(options.ModelConfig, options.Seed);
        using var trainer = new SupervisedTrainer(model, new OptimizerOptions { LearningRate = options.LearningRate, WeightDecay = 0.01 });
        for (int step = 0; step < options.Steps; step++)
        {
            // Fresh tasks every step (the corpus is a generative story, not a fixed file).
            var tasks = environment.SampleTasks(TaskSplit.Train, options.BatchSize, seed: 1_000_000 + options.Seed * 10_000 + step);
            var rows = tasks.Select(task =>
            {
                var (context, preset) = CorpusContext(environment, story, rng);
                var draw = story.Write(task, preset, context.Variant, rng);
                return (Prompt: prompts.Encode(task, context), Completion: tokenizer.Encode(draw.Completion).Append(ByteTokenizer.ImEnd).ToArray());
            }).ToList();
            using var batch = SequenceBatch.Build(rows.Select(r => r.Prompt).ToArray(), rows.Select(r => r.Completion).ToArray(),
                tokenizer.PaddingId, options.ModelConfig.VocabSize, model.Device);
            trainer.SetLearningRate(options.LearningRateAt(step));
            float loss = trainer.Step(batch);
            progress?.Report(new Progress(step + 1, options.Steps, loss));
        }

        var temp = directory + ".partial";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Checkpoint.Save(model, temp);
        File.WriteAllText(Path.Combine(temp, "base-options.json"), System.Text.Json.JsonSerializer.Serialize(options, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.Move(temp, directory);   // a stopped pre-training never leaves a half-written base behind
        return directory;
    }
}
