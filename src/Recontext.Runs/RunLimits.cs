using Recontext.Judge.Abstractions;
using Recontext.Judge.ToyCode;
using Recontext.Model;
using Recontext.Model.Checkpoints;
using Recontext.Prompts;
using Recontext.Recontextualizer;

namespace Recontext.Runs;

/// <summary>
/// Bounds on what one run may ask for, checked before any work (by `recontext run` and by the gateway alike), so that
/// no experiment can make a process grow without limit: each breach is an error naming the field and the limit.
/// The prompt plus the new tokens must fit the model's context, which also bounds the KV cache per row.
/// </summary>
public static class RunLimits
{
    public const int MaxSteps = 100_000;
    public const int MaxPromptsPerStep = 4_096;
    public const int MaxSamplesPerPrompt = 256;
    /// <summary>Rollouts sampled in one step (prompts × samples).</summary>
    public const int MaxRolloutsPerStep = 16_384;
    public const int MaxEvalTasks = 10_000;
    public const int MaxInstructionChars = 2_000;

    /// <exception cref="ArgumentException">a bound is broken (the message names the field and the limit)</exception>
    public static void Check(RunConfig config, string? baseDirectory = null)
    {
        Bound(config.Steps, MaxSteps, "steps");
        Bound(config.PromptsPerStep, MaxPromptsPerStep, "promptsPerStep");
        Bound(config.SamplesPerPrompt, MaxSamplesPerPrompt, "samplesPerPrompt");
        if ((long)config.PromptsPerStep * config.SamplesPerPrompt > MaxRolloutsPerStep)
            throw new ArgumentException($"promptsPerStep × samplesPerPrompt is {(long)config.PromptsPerStep * config.SamplesPerPrompt}; at most {MaxRolloutsPerStep} rollouts a step");
        Bound(config.EvalTasks, MaxEvalTasks, "eval.tasks");
        var contexts = new List<(string Field, ContextSpec Spec)>
            { ("contexts.generation", config.Recontextualization.Generation), ("contexts.training", config.Recontextualization.Training) };
        contexts.AddRange(config.EvalContexts.Select((c, i) => ($"contexts.eval[{i}]", c)));
        foreach (var (field, spec) in contexts)
            if (spec.Text is { Length: > MaxInstructionChars } text)
                throw new ArgumentException($"{field}.text has {text.Length} characters; at most {MaxInstructionChars}");

        int context = ModelContext(config, baseDirectory);
        int prompt = LongestPrompt(config, contexts.Select(c => c.Spec));
        if (prompt + config.MaxNewTokens > context)
            throw new ArgumentException($"sampling.maxNewTokens is {config.MaxNewTokens}, but the longest prompt takes {prompt} tokens of the model's " +
                                        $"context of {context}: at most {Math.Max(0, context - prompt)} new tokens fit");
    }

    static void Bound(long value, long max, string field)
    {
        if (value > max) throw new ArgumentException($"{field} is {value}; at most {max}");
    }

    /// <summary>The model's context length: the toy base's, or what the checkpoint's config.json says.</summary>
    static int ModelContext(RunConfig config, string? baseDirectory)
    {
        var directory = config.Checkpoint ?? baseDirectory;
        if (config.Checkpoint is not null && !File.Exists(Path.Combine(config.Checkpoint, Checkpoint.ConfigFile)))
            throw new ArgumentException($"model.checkpoint: {config.Checkpoint} holds no {Checkpoint.ConfigFile}");
        if (directory is null || !File.Exists(Path.Combine(directory, Checkpoint.ConfigFile))) return config.Base.ModelConfig.MaxPositionEmbeddings;
        try
        {
            return TransformerConfig.FromJson(File.ReadAllText(Path.Combine(directory, Checkpoint.ConfigFile))).MaxPositionEmbeddings;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
        {
            throw new ArgumentException($"model.checkpoint: {Path.Combine(directory, Checkpoint.ConfigFile)} is not a model config: {e.Message}");
        }
    }

    /// <summary>The longest prompt, in tokens, of the run's tasks under any of its contexts.</summary>
    static int LongestPrompt(RunConfig config, IEnumerable<ContextSpec> specs)
    {
        var environment = RunEnvironments.For(config);
        var prompts = new PromptTokens(environment, ModelText.For(config.Checkpoint));
        var tasks = RunEnvironments.PromptBoundTasks(environment, config.Seed);
        var contexts = specs.Select(s => s.Resolve(environment)).ToList();
        return tasks.SelectMany(t => contexts.Select(c => prompts.Encode(t, c).Length)).Max();
    }
}
