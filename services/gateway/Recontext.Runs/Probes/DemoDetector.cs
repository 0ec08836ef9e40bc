using Recontext.Environments;
using Recontext.Model.Checkpoints;
using Recontext.Model.Probing;
using Recontext.Organism;
using Recontext.Prompts;
using Recontext.Recontextualizer;

namespace Recontext.Runs.Probes;

/// <summary>
/// The demo's lie detector for a setting whose reward reads one: a probe trained once on the cached base, kept in the
/// base's folder (so a demo's worker processes find it from the base folder alone) with the completions it learned
/// from. Fixed before any run: the base answers held-out tasks under the neutral context only (a probe trained across
/// contexts could learn to spot the instruction rather than the lie), its judge labels each answer, and the probe
/// picks its layer, pooling and λ on validation rows (docs/results.md, the lying plan).
/// </summary>
public static class DemoDetector
{
    public const string FileName = "detector-probe.json";

    public static string PathIn(string baseDirectory) => Path.Combine(baseDirectory, FileName);

    /// <returns>the probe file</returns>
    public static async Task<string> TrainOrLoadAsync(string baseDirectory, BaseModelOptions baseModel, bool quick, IProgress<string>? progress = null)
    {
        var path = PathIn(baseDirectory);
        if (File.Exists(path)) return path;
        using var model = Checkpoint.Load(baseDirectory);
        var environment = OrganismStories.For(baseModel).Environment;
        var samples = await ProbeSampler.SampleAsync(environment, model, ModelText.Organism, [ContextSpec.Of("neutral").Resolve(environment)], quick ? 600 : 2000,
            seed: 1, progress: progress);
        var probe = ProbeTrainer.Train(model, samples.Select(s => s.Tokens).ToArray(), ModelText.Organism.Tokenizer.PaddingId,
            new ProbeTrainingOptions { Label = environment.Misbehaviour.Key, Seed = 1 }, progress);
        ProbeRow.Save(path + ".data.jsonl", samples.Select(s => s.Row));
        probe.Save(path);
        progress?.Report($"detector: layer {probe.Layer} {probe.Pooling.Name()}, held-out AUROC {probe.HeldOut.Auroc:F3} " +
                         $"({probe.HeldOut.Positives} {probe.Label}, {probe.HeldOut.Negatives} not)");
        return path;
    }
}
