using Recontext.Model;
using Recontext.Model.Checkpoints;
using Recontext.Model.Modules;
using Recontext.Model.Training;
using Recontext.Trainer.Algorithms;
using static TorchSharp.torch;

namespace Recontext.Runs;

/// <summary>
/// A run's tensors: the policy, the frozen reference (when KL or distillation needs one) and the trainer with its
/// optimizer. Created and disposed on the <see cref="TorchThread"/>, like all other tensor work of the loop, so no
/// thread-pool thread ever touches them.
/// </summary>
sealed class RunModels
{
    public required CausalLm Policy { get; init; }
    public CausalLm? Reference { get; init; }
    public GrpoTrainer? Grpo { get; init; }
    public SupervisedTrainer? Sft { get; init; }
    public LogitDistillationTrainer? Distill { get; init; }

    public optim.Optimizer? Optimizer => Grpo?.Optimizer ?? Sft?.Optimizer ?? Distill?.Optimizer;

    public static Task<RunModels> LoadAsync(RunConfig config, string weightsDirectory, string? referenceDirectory, int paddingId) =>
        TorchThread.Default.Run(() =>
        {
            var policy = Checkpoint.Load(weightsDirectory);
            var reference = referenceDirectory is null ? null : Checkpoint.Load(referenceDirectory);
            reference?.eval();
            return new RunModels
            {
                Policy = policy,
                Reference = reference,
                Grpo = config.Algorithm == Algorithm.Grpo ? new GrpoTrainer(policy, reference, config.Grpo, config.Optimizer, paddingId) : null,
                Sft = config.Algorithm is Algorithm.Sft or Algorithm.ExpertIteration ? new SupervisedTrainer(policy, config.Optimizer) : null,
                Distill = config.Algorithm == Algorithm.Distillation ? new LogitDistillationTrainer(policy, reference!, config.Optimizer, paddingId) : null,
            };
        });

    public Task DisposeAsync() => TorchThread.Default.Run(() =>
    {
        Grpo?.Dispose();
        Sft?.Dispose();
        Distill?.Dispose();
        Reference?.Dispose();
        Policy.Dispose();
    });
}
