using Recontext.Contracts;
using Recontext.Model.Checkpoints;
using Recontext.Model.Modules;
using Recontext.Model.Training;
using Recontext.Trainer.Algorithms;
using TorchSharp.Modules;

namespace Recontext.Trainer;

/// <summary>
/// A run's trainer: the policy, the frozen reference (when the algorithm needs one), the algorithm with its
/// optimizer. Each policy version can be saved (weights + optimizer moments) and training resumed from it. All of
/// it runs on the torch thread of its caller.
/// </summary>
public sealed class PolicyTrainer : IDisposable
{
    const string OptimizerFile = "optimizer.bin";

    readonly CausalLm? reference;
    readonly ITrainingAlgorithm algorithm;

    public CausalLm Policy { get; }

    PolicyTrainer(CausalLm policy, CausalLm? reference, ITrainingAlgorithm algorithm) => (Policy, this.reference, this.algorithm) = (policy, reference, algorithm);

    /// <param name="start">the checkpoint the run starts from (version 0; also the reference)</param>
    /// <param name="resume">a version saved by <see cref="SaveVersion"/> to continue from, or null to start</param>
    public static PolicyTrainer Load(TrainerSpec spec, string start, string? resume, int paddingId)
    {
        var policy = Checkpoint.Load(resume ?? start);
        var reference = spec.NeedsReference ? Checkpoint.Load(start) : null;
        reference?.eval();
        ITrainingAlgorithm algorithm = spec.Algorithm switch
        {
            Algorithm.Grpo => new GrpoAlgorithm(new GrpoTrainer(policy, reference, spec.Grpo, spec.Optimizer, paddingId), spec.SamplesPerPrompt),
            Algorithm.Distillation => new DistillationAlgorithm(new LogitDistillationTrainer(policy, reference!, spec.Optimizer, paddingId)),
            _ => new SupervisedAlgorithm(new SupervisedTrainer(policy, spec.Optimizer), paddingId, spec.Algorithm == Algorithm.ExpertIteration, spec.DropHacks),
        };
        var trainer = new PolicyTrainer(policy, reference, algorithm);
        var moments = resume is null ? null : Path.Combine(resume, OptimizerFile);
        if (moments is not null && File.Exists(moments) && algorithm.Optimizer is OptimizerHelper helper) helper.load_state_dict(moments);
        return trainer;
    }

    public UpdateMetrics Update(IReadOnlyList<TrainingSample> samples, IReadOnlyList<CompletionScore> scores) => algorithm.Update(samples, scores);

    /// <summary>Writes the current weights (config.json + model.safetensors) and optimizer moments into <paramref name="directory"/>.</summary>
    public void SaveVersion(string directory)
    {
        Checkpoint.Save(Policy, directory);
        if (algorithm.Optimizer is OptimizerHelper helper) helper.save_state_dict(Path.Combine(directory, OptimizerFile));
    }

    public void Dispose()
    {
        algorithm.Dispose();
        reference?.Dispose();
        Policy.Dispose();
    }
}
