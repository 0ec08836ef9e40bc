using Recontext.Environments;
using Recontext.Environments.ToyCode;
using Recontext.Model;
using Recontext.Model.Checkpoints;
using Recontext.Prompts;
using Recontext.Recontextualizer;
using Recontext.Trainer.Algorithms;

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
    /// <param name="availableBytes">memory the run may use (default: what the machine has available now)</param>
    public static void Check(RunConfig config, string? baseDirectory = null, long? availableBytes = null)
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
        CheckTrainingMemory(config, baseDirectory, prompt + config.MaxNewTokens, availableBytes ?? AvailableMemory());
    }

    /// <summary>Sequences in one forward and backward pass of the trainer: the micro-batch, or every sequence a step
    /// trains on (expert iteration: the best of each group; the others: every rollout).</summary>
    public static int TrainingBatch(RunConfig config) =>
        Math.Min(config.MicroBatchSize ?? int.MaxValue, config.Algorithm == Algorithm.ExpertIteration ? config.PromptsPerStep : config.PromptsPerStep * config.SamplesPerPrompt);

    /// <summary>Refuses, before any work, a run whose training step would not fit in memory (the estimate of
    /// <see cref="TrainingMemory"/>, with the frozen copy full fine-tuning keeps as a KL reference or teacher), naming
    /// the settings that lower it. A base folder without weights yet (the organism's, trained at the run's start) is
    /// not checked.</summary>
    static void CheckTrainingMemory(RunConfig config, string? baseDirectory, int sequence, long available)
    {
        var directory = config.Checkpoint ?? baseDirectory;
        if (directory is null || !File.Exists(Path.Combine(directory, Checkpoint.ConfigFile))) return;
        ModelFolder folder;
        try
        {
            folder = ModelFolder.Read(directory);
        }
        catch (FileNotFoundException)
        {
            return;   // a folder without weights yet (the organism's base is trained at the run's start)
        }
        int batch = TrainingBatch(config);
        bool reference = config.Algorithm == Algorithm.Distillation || (config.Algorithm == Algorithm.Grpo && config.Grpo.Beta > 0);
        var estimate = config.Lora is { } lora
            ? TrainingMemory.Lora(folder.Config, folder.Parameters, batch, sequence, lora.Rank, TrainingMemory.ComputeBytesOf(config.PolicyDtype, config.Device),
                config.GradientCheckpointing)
            : TrainingMemory.FullFineTuning(folder.Config, folder.Parameters, batch, sequence, config.GradientCheckpointing);
        long needed = estimate.Total + (reference && config.Lora is null ? folder.Parameters * TrainingMemory.ComputeBytes : 0);
        if (needed <= available) return;
        var lower = new List<string>();
        if (batch > 1) lower.Add($"set microBatchSize below {batch}");
        if (!config.GradientCheckpointing) lower.Add("turn on gradientCheckpointing");
        lower.Add($"lower sampling.maxNewTokens ({config.MaxNewTokens})");
        if (config.Lora is null) lower.Add("train LoRA adapters (model.lora)");
        else if (TrainingMemory.ComputeBytesOf(config.PolicyDtype, config.Device) > 2) lower.Add("set computeDtype: bfloat16");
        throw new ArgumentException($"a training step needs about {Gib(needed)} (batch {batch} × {sequence} tokens: weights {Gib(estimate.WeightBytes)}, " +
                                    $"gradients and AdamW {Gib(estimate.GradientBytes + estimate.OptimizerBytes)}, activations {Gib(estimate.ActivationBytes)}), " +
                                    $"more than the {Gib(available)} of memory available: {string.Join(", ", lower)}");
    }

    static string Gib(long bytes) => $"{bytes / (double)(1L << 30):0.##} GiB";

    /// <summary>Memory a run may use: MemAvailable of /proc/meminfo (the device's memory once runs train on GPUs),
    /// or the .NET runtime's view where there is no /proc.</summary>
    public static long AvailableMemory()
    {
        const string meminfo = "/proc/meminfo";
        if (File.Exists(meminfo))
            foreach (var line in File.ReadLines(meminfo))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal) &&
                    long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kib)) return kib * 1024;
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
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
