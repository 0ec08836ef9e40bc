using Recontext.Model.Lora;
using Recontext.Model.Training;
using Recontext.Trainer.Algorithms;
using Recontext.Trainer.Losses;

namespace Recontext.Trainer;

/// <summary>What a run's trainer needs to know of the experiment: the algorithm and its settings. Travels to a
/// trainer service as JSON in <c>StartTraining</c>.</summary>
public sealed record TrainerSpec
{
    public Algorithm Algorithm { get; init; } = Algorithm.Grpo;

    public GrpoOptions Grpo { get; init; } = new();

    public OptimizerOptions Optimizer { get; init; } = new();

    /// <summary>Samples per prompt (GRPO's group size).</summary>
    public int SamplesPerPrompt { get; init; } = 8;

    /// <summary>Expert iteration: drop hacks before picking the best of N.</summary>
    public bool DropHacks { get; init; }

    /// <summary>Train LoRA adapters on the frozen start checkpoint instead of every weight; null for full fine-tuning.</summary>
    public LoraConfig? Lora { get; init; }

    /// <summary>Sequences per forward and backward pass of any algorithm, gradients accumulated to the whole batch's
    /// step; null: the whole batch at once.</summary>
    public int? MicroBatchSize { get; init; }

    /// <summary>Backpropagate one decoder layer at a time, recomputing each (<see cref="Model.Modules.CausalLm.GradientCheckpointing"/>).</summary>
    public bool GradientCheckpointing { get; init; }

    /// <summary>Where the trainer holds the policy: auto, cpu, cuda or cuda:N (<see cref="Model.DeviceSelection"/>),
    /// resolved where the trainer runs.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>The dtype the policy computes in, resolved for <see cref="Device"/> (<see cref="Model.ComputeDtype"/>);
    /// LoRA adapters stay fp32.</summary>
    public string ComputeDtype { get; init; } = "float32";

    /// <summary>Seed of the adapters' initialisation (the run's seed).</summary>
    public long Seed { get; init; }

    /// <summary>Whether the update needs a frozen reference: the KL term of GRPO, or distillation's teacher.</summary>
    public bool NeedsReference => Algorithm == Algorithm.Distillation || (Algorithm == Algorithm.Grpo && Grpo.Beta > 0);
}
