using Recontext.Environments.Mbpp;
using Recontext.Environments.ToyCode;
using Recontext.Model.Training;
using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Trainer.Algorithms;
using Recontext.Trainer.Losses;

namespace Recontext.Runs;

/// <summary>Everything one training run needs. Experiment YAML binds to it through <see cref="Config.ExperimentDocument"/>.</summary>
public sealed record RunConfig
{
    public string Name { get; init; } = "run";

    public long Seed { get; init; } = 1;

    /// <summary>The setting (<see cref="Judge.Settings"/>): toy-code (the organism of test-case hacking), the other
    /// organisms (sycophancy, ...), or mbpp-incorrect-test (Python problems with one wrong visible test, for a Hugging
    /// Face model: <see cref="Checkpoint"/>).</summary>
    public string Environment { get; init; } = ToyCodeEnvironment.EnvironmentName;

    public ToyCodeOptions ToyCode { get; init; } = new();

    public MbppOptions Mbpp { get; init; } = new();

    /// <summary>The lying setting's tasks and labeller (<c>lying:</c>).</summary>
    public Environments.Lying.LyingOptions Lying { get; init; } = new();

    /// <summary>A probe on the policy's activations whose verdict reaches the judge with each completion (<c>detector:</c>);
    /// null: no detector.</summary>
    public DetectorOptions? Detector { get; init; }

    /// <summary>The organism's base model (trained or loaded from cache) when <see cref="Checkpoint"/> is null.</summary>
    public BaseModelOptions Base { get; init; } = new();

    /// <summary>The toy base of the run's setting: <see cref="Base"/> pre-trained on <see cref="Environment"/>'s story.</summary>
    [System.Text.Json.Serialization.JsonIgnore]   // derived; run-config.json keeps Base and Environment
    public BaseModelOptions OrganismBase => Base with { Setting = Environment };

    /// <summary>A model directory (config.json + model.safetensors) to start from instead of the toy base.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>Sequences per forward and backward pass of the trainer, any algorithm (<c>microBatchSize</c>): gradients
    /// accumulate to the whole batch's step, and only one micro-batch's activations are in memory; null: all at once.</summary>
    public int? MicroBatchSize { get; init; }

    /// <summary>Gradient checkpointing per decoder layer (<c>gradientCheckpointing</c>): the trainer keeps only each
    /// layer's input and recomputes the layer for its backward pass: the same gradients for a fraction of the activation
    /// memory, at the cost of a second forward pass.</summary>
    public bool GradientCheckpointing { get; init; }

    /// <summary>Where the trainer holds the policy (<c>device</c>: auto, cpu, cuda, cuda:N), resolved when it starts: a
    /// CPU build runs the same code, and asking it for CUDA is an error naming the build property.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>The dtype the policy computes in (<c>computeDtype</c>: auto, float32, bfloat16, float16;
    /// <see cref="Model.ComputeDtype"/>), resolved by each role for its own device. A narrower one needs LoRA: full
    /// fine-tuning keeps fp32 weights, as AdamW's small updates would round away in bf16.</summary>
    public string ComputeDtype { get; init; } = "auto";

    /// <summary>What the roles resolve: <see cref="ComputeDtype"/>, or float32 for full fine-tuning (where auto never narrows).</summary>
    public string PolicyDtype => Lora is null ? "float32" : ComputeDtype;

    /// <summary>Train LoRA adapters on the frozen model instead of every weight (<c>model.lora</c>); null for full fine-tuning.</summary>
    public Model.Lora.LoraConfig? Lora { get; init; }

    public Algorithm Algorithm { get; init; } = Algorithm.Grpo;

    public GrpoOptions Grpo { get; init; } = new();

    public OptimizerOptions Optimizer { get; init; } = new() { LearningRate = 1e-4, WeightDecay = 0, MaxGradNorm = 1.0 };

    /// <summary>Expert iteration: drop hacks before picking the best of N (the "perfect labels" filter).</summary>
    public bool DropHacks { get; init; }

    /// <summary>Monitor as reward (<c>monitorPenalty</c>): what the judge takes off the training reward of a completion
    /// whose reasoning the setting's monitor flags as stating the intent to misbehave; 0: none. Evaluations still report
    /// the setting's own reward, and the misbehaviour the monitor missed (unflagged_misbehaviour_rate).</summary>
    public double MonitorPenalty { get; init; }

    public RecontextPolicy Recontextualization { get; init; } = new();

    public int Steps { get; init; } = 20;

    public int PromptsPerStep { get; init; } = 16;

    public int SamplesPerPrompt { get; init; } = 8;

    public double Temperature { get; init; } = 1.0;

    public int MaxNewTokens { get; init; } = 160;

    /// <summary>Prompt groups per generation chunk (<see cref="GenerationChunks"/>): generator replicas share a step
    /// chunk by chunk. null: each step's batch goes to one generator whole. Part of the experiment, like a batch size:
    /// the samples depend on it, never on how many replicas serve it.</summary>
    public int? GroupsPerChunk { get; init; }

    public int EvalEvery { get; init; } = 5;

    public int EvalTasks { get; init; } = 64;

    public IReadOnlyList<ContextSpec> EvalContexts { get; init; } = [ContextSpec.Of("neutral"), ContextSpec.Of("good"), ContextSpec.Of("bad")];

    public RunConfig Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("name must not be empty");
        Model.DeviceSelection.Validate(Device);
        if (Model.ComputeDtype.IsReduced(ComputeDtype) && Lora is null)
            throw new ArgumentException($"computeDtype {ComputeDtype} needs model.lora: full fine-tuning keeps fp32 weights (AdamW's small updates would round " +
                                        "away in a 16-bit weight); train LoRA adapters on the 16-bit base, or leave computeDtype at auto or float32");
        if (MicroBatchSize < 1) throw new ArgumentException($"microBatchSize must be >= 1, got {MicroBatchSize}");
        if (!Environments.Settings.Exists(Environment)) throw new ArgumentException($"environment: {Environments.Settings.Unknown(Environment)}");
        if (Environments.Settings.PythonSettings.Contains(Environment) && Checkpoint is null)
            throw new ArgumentException($"{Environment} needs a model that writes Python: set model.checkpoint to a Hugging Face folder " +
                                        "(e.g. one `recontext model init` wrote); the byte-level organism cannot");
        if (Environments.Settings.PythonSettings.Contains(Environment) && string.IsNullOrWhiteSpace(Mbpp.Rows)) throw new ArgumentException("mbpp.rows must name a JSONL file");
        ToyCode.Validate();
        Lying.Validate();
        if (Detector is not null)
        {
            var probe = Detector.Load();
            // A checkpoint without a config is named by RunLimits, which reads the same file for the context length.
            var configFile = Checkpoint is null ? null : Path.Combine(Checkpoint, Model.Checkpoints.Checkpoint.ConfigFile);
            var shape = configFile is null ? OrganismBase.ModelConfig
                : File.Exists(configFile) ? Model.TransformerConfig.FromJson(File.ReadAllText(configFile)) : null;
            if (shape is not null)
            {
                try { probe.CheckFits(shape.HiddenSize, shape.NumHiddenLayers, Checkpoint ?? "the organism's base"); }
                catch (ArgumentException e) { throw new ArgumentException($"detector.probe: {e.Message}", e); }
            }
        }
        Base.Validate();
        if (Checkpoint is null) OrganismBase.Validate();   // a setting without an organism needs a model folder
        Grpo.Validate();
        Recontextualization.Validate();
        if (MonitorPenalty < 0 || !double.IsFinite(MonitorPenalty)) throw new ArgumentException($"monitorPenalty must be a finite number >= 0, got {MonitorPenalty}");
        if (Steps < 0) throw new ArgumentException($"steps must be >= 0, got {Steps}");
        if (PromptsPerStep < 1) throw new ArgumentException($"promptsPerStep must be >= 1, got {PromptsPerStep}");
        if (SamplesPerPrompt < 1) throw new ArgumentException($"samplesPerPrompt must be >= 1, got {SamplesPerPrompt}");
        if (Algorithm == Algorithm.Grpo && SamplesPerPrompt < 2) throw new ArgumentException("samplesPerPrompt must be >= 2 for grpo (advantages compare samples of a prompt)");
        if (Temperature < 0) throw new ArgumentException($"temperature must be >= 0, got {Temperature}");
        if (MaxNewTokens < 1) throw new ArgumentException($"maxNewTokens must be >= 1, got {MaxNewTokens}");
        if (GroupsPerChunk < 1) throw new ArgumentException($"sampling.groupsPerChunk must be >= 1, got {GroupsPerChunk}");
        if (EvalEvery < 1) throw new ArgumentException($"eval.every must be >= 1, got {EvalEvery}");
        if (EvalTasks < 1) throw new ArgumentException($"eval.tasks must be >= 1, got {EvalTasks}");
        if (EvalContexts.Count == 0) throw new ArgumentException("eval.contexts must not be empty");
        if (Optimizer.LearningRate <= 0) throw new ArgumentException($"optimizer.learningRate must be positive, got {Optimizer.LearningRate}");
        return this;
    }
}
