using Recontext.Model;
using Recontext.Trainer.Algorithms;

namespace Recontext.Trainer.Messaging;

/// <summary>
/// One run's trainer in this process: its <see cref="PolicyTrainer"/> (policy, reference, optimizer), its saved
/// versions, and the <see cref="TrainerSession"/> that applies each batch once and saves version <c>step</c> before
/// announcing it (so a generator service can fetch it, and a resumed run finds it).
/// </summary>
public sealed class TrainerRun
{
    readonly PolicyTrainer trainer;

    public string RunId { get; }
    public PolicyVersions Versions { get; }
    public TrainerSession Session { get; }
    public Model.Modules.CausalLm Policy => trainer.Policy;

    /// <summary>The policy's compute dtype and device, e.g. "bfloat16 on cpu" (<see cref="Model.ComputeDtype"/>).</summary>
    public string Holding => $"{Policy.DType.ToString().ToLowerInvariant()} on {Policy.Device}";

    TrainerRun(string runId, PolicyTrainer trainer, PolicyVersions versions)
    {
        RunId = runId;
        this.trainer = trainer;
        Versions = versions;
        Session = new TrainerSession(runId, batch =>
        {
            var metrics = trainer.Update(batch.Samples, batch.Scores);
            versions.Save(batch.Step, trainer.SaveVersion);
            return metrics;
        });
    }

    /// <exception cref="ArgumentException">the resume version is not held (the message names it)</exception>
    public static async Task<TrainerRun> StartAsync(string runId, TrainerSpec spec, PolicyVersions versions, int resumeVersion, int paddingId)
    {
        if (!File.Exists(Path.Combine(versions.Start, Model.Checkpoints.Checkpoint.ConfigFile)))
            throw new ArgumentException($"startCheckpoint: {versions.Start} holds no {Model.Checkpoints.Checkpoint.ConfigFile}");
        var resume = resumeVersion == 0 ? null : versions.Find(resumeVersion)
            ?? throw new ArgumentException($"resumeVersion: run {runId} has no policy version {resumeVersion} in {versions.Root}");
        Directory.CreateDirectory(versions.Root);
        var trainer = await TorchThread.Default.Run(() => PolicyTrainer.Load(spec, versions.Start, resume, paddingId));
        return new TrainerRun(runId, trainer, versions);
    }

    public Task DisposeAsync() => TorchThread.Default.Run(trainer.Dispose);
}
