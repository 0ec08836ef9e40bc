using Recontext.Model.Checkpoints;
using Recontext.Model.Lora;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using static TorchSharp.torch;

namespace Recontext.Model.Tests;

/// <summary>LoRA adapters: a fresh one changes nothing, only adapters train, the frozen base is one switch away,
/// merging keeps the outputs, and the PEFT layout round-trips and reads the same in an independent implementation.</summary>
public sealed class LoraTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("recontext-lora-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static readonly LoraConfig Config = new() { Rank = 4, Alpha = 8 };

    static Tensor Logits(CausalLm model, long[] ids)
    {
        using var noGrad = no_grad();
        using var input = tensor(ids).unsqueeze(0);
        return model.Forward(input);
    }

    /// <summary>Bit for bit the same values.</summary>
    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.bytes.SequenceEqual(b.bytes);

    static readonly long[] Ids = [3, 17, 99, 4, 250, 8, 31, 7, 120, 66];

    static SequenceBatch Batch(CausalLm model) => SequenceBatch.Build(
        [[3, 17, 99, 4], [250, 8, 31]], [[7, 120, 66, 5], [9, 9, 42]], paddingId: 0, model.Config.VocabSize, model.Device);

    [Fact]
    public void AFreshAdapterChangesNothingAndAStepTrainsOnlyTheAdapter()
    {
        using var model = TinyModels.Random(seed: 4, tied: false);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.bytes.ToArray());
        using var baseLogits = Logits(model, Ids);

        using var lora = LoraAdapters.Attach(model, Config, seed: 1);
        Assert.Equal(2 * model.Config.NumHiddenLayers * 7, lora.Parameters.Count);
        Assert.Equal(TrainingMemory.LoraParameters(model.Config, Config.Rank), lora.ParameterCount);
        using (var fresh = Logits(model, Ids)) Assert.True(Same(fresh, baseLogits), "a fresh adapter (B = 0) must not change the logits");

        using var batch = Batch(model);
        using var trainer = new SupervisedTrainer(model, new OptimizerOptions { LearningRate = 1e-2, WeightDecay = 0 }, lora.Parameters);
        for (int step = 0; step < 3; step++) trainer.Step(batch);

        foreach (var (key, tensor) in model.state_dict())
            Assert.True(tensor.bytes.SequenceEqual(before[key]), $"the base weight {key} changed while only the adapter trains");
        Assert.All(lora.PeftStateDict().Where(kv => kv.Key.EndsWith("lora_B.weight")), kv => Assert.True(kv.Value.abs().max().item<float>() > 0, $"{kv.Key} did not train"));
        using var adapted = Logits(model, Ids);
        Assert.True((adapted - baseLogits).abs().max().item<float>() > 1e-3, "three steps should move the logits");

        // The frozen base is the KL reference: with the adapters off the model is exactly the base again.
        using (lora.UseBase())
        using (var reference = Logits(model, Ids))
            Assert.True(Same(reference, baseLogits));
        using (var again = Logits(model, Ids)) Assert.True(Same(again, adapted));
    }

    [Fact]
    public void MergedAndUnmergedLogitsAgree()
    {
        using var model = TinyModels.Random(seed: 5);
        var lora = LoraAdapters.Attach(model, Config, seed: 2);
        RandomizeB(lora);
        using var unmerged = Logits(model, Ids);
        lora.Merge();
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad, "merging returns a plain, trainable model"));
        using var merged = Logits(model, Ids);
        double difference = (merged - unmerged).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"merged and unmerged logits differ by {difference:G3}");

        // A merged model is a plain checkpoint of the base's keys.
        Checkpoint.Save(model, dir);
        using var reloaded = Checkpoint.Load(dir);
        using var fromDisk = Logits(reloaded, Ids);
        Assert.True(Same(fromDisk, merged));
    }

    [Fact]
    public void APeftLayoutAdapterRoundTripsAndTheReferenceAppliesIt()
    {
        var baseDir = Path.Combine(dir, "base");
        var options = new ModelInitializer.Options("qwen2", "tiny", TokenizerTests.TokenizerFolder("qwen3"), "float32", Seed: 9, InitStd: 0.08);
        ModelInitializer.Write(options, baseDir);
        var ids = Enumerable.Range(0, 24).Select(i => (i * 7919 + 13) % 151000).ToArray();

        var adapterDir = Path.Combine(dir, "adapter");
        using (var model = Checkpoint.Load(baseDir))
        using (var lora = LoraAdapters.Attach(model, Config with { TargetModules = ["q_proj", "v_proj", "down_proj"] }, seed: 3))
        {
            RandomizeB(lora);
            lora.Save(adapterDir, baseDir);
            Assert.Equal(2 * 2 * 3, lora.PeftStateDict().Count);
            Assert.Contains("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight", SafeTensors.ReadEntries(Path.Combine(adapterDir, LoraAdapters.WeightsFile)).Select(e => e.Name));
            var entry = SafeTensors.ReadEntries(Path.Combine(adapterDir, LoraAdapters.WeightsFile)).Single(e => e.Name == "base_model.model.model.layers.0.mlp.down_proj.lora_A.weight");
            Assert.Equal([Config.Rank, model.Config.IntermediateSize], entry.Shape);

            using var ours = Logits(model, ids.Select(i => (long)i).ToArray());
            using var fresh = Checkpoint.Load(baseDir);
            using var loaded = LoraAdapters.Load(fresh, adapterDir);
            Assert.Equal(["down_proj", "q_proj", "v_proj"], loaded.Config.TargetModules.Order());
            using (var roundTrip = Logits(fresh, ids.Select(i => (long)i).ToArray())) Assert.True(Same(roundTrip, ours));

            using var reference = ReferenceModel.Run(baseDir, ids, greedy: 0, adapter: adapterDir);
            double difference = (ours.squeeze(0) - reference.Logits).abs().max().item<float>();
            Assert.True(difference <= 1e-4, $"the reference applying our PEFT adapter differs by {difference:G3}");
        }
    }

    [Fact]
    public void BadAdaptersAreNamed()
    {
        Assert.Contains("'lm_head' is not one of", Assert.Throws<ArgumentException>(() => (Config with { TargetModules = ["lm_head"] }).Validate()).Message);
        Assert.Contains("use_dora true is not supported",
            Assert.Throws<InvalidDataException>(() => LoraConfig.FromPeftJson("""{"peft_type":"LORA","r":4,"target_modules":["q_proj"],"use_dora":true}""", "x.json")).Message);

        using var model = TinyModels.Random(seed: 6);
        using (var lora = LoraAdapters.Attach(model, Config, seed: 1))
        {
            Assert.Throws<InvalidOperationException>(() => LoraAdapters.Attach(model, Config, seed: 2));
            lora.Save(dir);
        }
        using var wider = CausalLm.Create(TinyModels.Qwen3Style() with { IntermediateSize = 96 }, 1);
        var error = Assert.Throws<InvalidDataException>(() => LoraAdapters.Load(wider, dir));
        Assert.Contains("base_model.model.model.layers.0.mlp.down_proj.lora_A.weight' has shape", error.Message);
        Assert.Null(wider.named_modules().Select(m => m.module).OfType<Projection>().FirstOrDefault(p => p.Adapter is not null));
    }

    static void RandomizeB(LoraAdapters lora)
    {
        using var noGrad = no_grad();
        var generator = new Generator(21);
        foreach (var (key, tensor) in lora.PeftStateDict().Where(kv => kv.Key.EndsWith("lora_B.weight")))
            tensor.copy_(0.2 * randn(tensor.shape, generator: generator));
    }
}
