using Recontext.Contracts;
using Recontext.Model;
using Recontext.Model.Checkpoints;
using Recontext.Model.Lora;
using Recontext.Model.Modules;
using Recontext.Model.Training;
using Recontext.Trainer.Algorithms;
using TorchSharp.Modules;

namespace Recontext.Trainer;

/// <summary>
/// A run's trainer: the policy, the frozen reference (when the algorithm needs one), the algorithm with its
/// optimizer. With LoRA (<see cref="TrainerSpec.Lora"/>) only adapters train on the frozen start checkpoint, the
/// reference is that base under the adapters (no second copy), and a version is the adapter alone, in PEFT's layout.
/// Each policy version can be saved (weights or adapter + optimizer moments) and training resumed from it. All of it
/// runs on the torch thread of its caller.
/// </summary>
public sealed class PolicyTrainer : IDisposable
{
    const string OptimizerFile = "optimizer.bin";

    readonly ReferencePolicy? reference;
    readonly LoraAdapters? adapters;
    readonly string start;
    readonly ITrainingAlgorithm algorithm;

    public CausalLm Policy { get; }

    PolicyTrainer(CausalLm policy, LoraAdapters? adapters, ReferencePolicy? reference, ITrainingAlgorithm algorithm, string start) =>
        (Policy, this.adapters, this.reference, this.algorithm, this.start) = (policy, adapters, reference, algorithm, start);

    /// <param name="start">the checkpoint the run starts from (version 0; also the reference)</param>
    /// <param name="resume">a version saved by <see cref="SaveVersion"/> to continue from, or null to start</param>
    public static PolicyTrainer Load(TrainerSpec spec, string start, string? resume, int paddingId)
    {
        var device = DeviceSelection.Resolve(spec.Device);
        var dtype = ComputeDtype.Resolve(spec.ComputeDtype, device);
        if (spec.Lora is null && dtype != TorchSharp.torch.ScalarType.Float32)
            throw new ArgumentException($"computeDtype {spec.ComputeDtype} resolves to {dtype} on {device}: full fine-tuning keeps fp32 weights (use LoRA for a 16-bit base)");
        var policy = Checkpoint.Load(spec.Lora is null ? resume ?? start : start, device, dtype);
        policy.GradientCheckpointing = spec.GradientCheckpointing;
        LoraAdapters? adapters = null;
        ReferencePolicy? reference = null;
        try
        {
            if (spec.Lora is not null)
                adapters = resume is not null && File.Exists(Path.Combine(resume, LoraConfig.FileName))
                    ? LoraAdapters.Load(policy, resume)
                    : LoraAdapters.Attach(policy, spec.Lora, spec.Seed);
            if (spec.NeedsReference)
                reference = adapters is null ? ReferencePolicy.Copy(Checkpoint.Load(start, device)) : ReferencePolicy.BaseOf(policy, adapters);
            var trainable = adapters?.Parameters;
            ITrainingAlgorithm algorithm = spec.Algorithm switch
            {
                Algorithm.Grpo => new GrpoAlgorithm(new GrpoTrainer(policy, reference, spec.Grpo, spec.Optimizer, paddingId, trainable, spec.MicroBatchSize),
                    spec.SamplesPerPrompt),
                Algorithm.Distillation => new DistillationAlgorithm(new LogitDistillationTrainer(policy, reference!, spec.Optimizer, paddingId, trainable), spec.MicroBatchSize),
                _ => new SupervisedAlgorithm(new SupervisedTrainer(policy, spec.Optimizer, trainable), paddingId, spec.Algorithm == Algorithm.ExpertIteration, spec.DropHacks,
                    spec.MicroBatchSize),
            };
            var trainer = new PolicyTrainer(policy, adapters, reference, algorithm, start);
            var moments = resume is null ? null : Path.Combine(resume, OptimizerFile);
            if (moments is not null && File.Exists(moments) && algorithm.Optimizer is OptimizerHelper helper)
            {
                try { helper.load_state_dict(moments); }
                catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or FormatException)
                {
                    throw new InvalidDataException($"{moments}: the optimizer state cannot be read ({e.Message}); the file is damaged or from another run", e);
                }
            }
            return trainer;
        }
        catch
        {
            reference?.Dispose();
            adapters?.Dispose();
            policy.Dispose();
            throw;
        }
    }

    /// <summary>The LoRA adapters that train, when the run uses LoRA.</summary>
    public LoraAdapters? Adapters => adapters;

    public UpdateMetrics Update(IReadOnlyList<TrainingSample> samples, IReadOnlyList<CompletionScore> scores) => algorithm.Update(samples, scores);

    /// <summary>Writes the current weights (config.json + model.safetensors) or, with LoRA, the adapter alone (PEFT's
    /// adapter_config.json + adapter_model.safetensors), and the optimizer moments, into <paramref name="directory"/>.</summary>
    public void SaveVersion(string directory)
    {
        if (adapters is not null) adapters.Save(directory, Path.GetFullPath(start));
        else Checkpoint.Save(Policy, directory);
        if (algorithm.Optimizer is OptimizerHelper helper) helper.save_state_dict(Path.Combine(directory, OptimizerFile));
    }

    public void Dispose()
    {
        algorithm.Dispose();
        reference?.Dispose();
        adapters?.Dispose();
        Policy.Dispose();
    }
}
