using Recontext.Model;
using Recontext.Model.Checkpoints;
using Recontext.Model.Modules;

namespace Recontext.Trainer.Tests;

/// <summary>A saved policy version whose optimizer file is damaged is named when a run resumes from it, instead of
/// "Unable to read beyond the end of the stream".</summary>
public sealed class PolicyVersionFilesTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-versions-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void ADamagedOptimizerFileIsNamedOnResume()
    {
        var config = new TransformerConfig { VocabSize = 40, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 4, NumKeyValueHeads = 2 };
        var start = Path.Combine(root, "start");
        using (var model = CausalLm.Create(config, 1)) Checkpoint.Save(model, start);
        var version = Path.Combine(root, "v1");
        var spec = new TrainerSpec { Device = "cpu" };
        using (var trainer = PolicyTrainer.Load(spec, start, null, paddingId: 0)) trainer.SaveVersion(version);
        var optimizer = Path.Combine(version, "optimizer.bin");
        Assert.True(File.Exists(optimizer));
        using (PolicyTrainer.Load(spec, start, version, 0)) { }   // intact: resumes

        File.WriteAllBytes(optimizer, File.ReadAllBytes(optimizer)[..10]);
        var error = Assert.Throws<InvalidDataException>(() => PolicyTrainer.Load(spec, start, version, 0));
        Assert.Contains(optimizer, error.Message);
        Assert.Contains("the optimizer state cannot be read", error.Message);
    }
}
