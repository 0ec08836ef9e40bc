using Recontext.Model.Checkpoints;
using Recontext.Model.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Tests;

public sealed class CheckpointTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("recontext-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void SaveThenLoadIsBitExact()
    {
        using var model = TinyModels.Random(seed: 21, tied: false);
        Checkpoint.Save(model, dir);
        using var loaded = Checkpoint.Load(dir);

        // The same model: what the family leaves implicit (q/k/v biases, head_dim) comes back written out.
        Assert.Equal(model.Config.ToJson(), loaded.Config.ToJson());
        var original = model.state_dict();
        var restored = loaded.state_dict();
        Assert.Equal(original.Keys.Order(), restored.Keys.Order());
        foreach (var (key, tensor) in original)
            Assert.True(tensor.bytes.SequenceEqual(restored[key].bytes), $"{key} differs after the round trip");
    }

    [Fact]
    public void SafeTensorsKeepsDtypeShapeAndBytes()
    {
        var path = Path.Combine(dir, "mixed.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["a"] = randn(3, 5),
            ["b.half"] = randn(4).to(ScalarType.BFloat16),
            ["c.ints"] = arange(0, 7, dtype: ScalarType.Int64).reshape(7, 1),
        };
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var back = SafeTensors.Load(path);

        Assert.Equal(tensors.Keys.Order(), back.Keys.Order());
        foreach (var (key, t) in tensors)
        {
            Assert.Equal(t.dtype, back[key].dtype);
            Assert.Equal(t.shape, back[key].shape);
            Assert.True(t.bytes.SequenceEqual(back[key].bytes), key);
        }
        Assert.Equal("pt", SafeTensors.ReadMetadata(path)["format"]);
        var headerLength = BitConverter.ToInt64(File.ReadAllBytes(path), 0);
        Assert.Equal(0, headerLength % 8);
    }

    [Fact]
    public void MisShapedKeyIsNamedWithBothShapes()
    {
        using var small = CausalLm.Create(TinyModels.Qwen3Style(), 1);
        Checkpoint.Save(small, dir);
        using var wider = new CausalLm(TinyModels.Qwen3Style() with { IntermediateSize = 96 });

        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.LoadWeights(wider, dir));
        Assert.Equal("model.layers.0.mlp.down_proj.weight", error.Key);
        Assert.Contains("key 'model.layers.0.mlp.down_proj.weight' has shape [32, 64] in the checkpoint but [32, 96] in the model", error.Message);
    }

    [Fact]
    public void MissingAndUnexpectedKeysAreNamed()
    {
        using var tied = CausalLm.Create(TinyModels.Qwen3Style(tied: true), 1);
        Checkpoint.Save(tied, dir);
        using var untied = new CausalLm(TinyModels.Qwen3Style(tied: false));
        var missing = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.LoadWeights(untied, dir));
        Assert.Equal("lm_head.weight", missing.Key);
        Assert.Contains("missing key 'lm_head.weight' (model shape [260, 32])", missing.Message);

        using var withHead = CausalLm.Create(TinyModels.Qwen3Style(tied: false), 1);
        Checkpoint.Save(withHead, dir);
        var unexpected = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.LoadWeights(tied, dir));
        Assert.Contains("unexpected key 'lm_head.weight' (checkpoint shape [260, 32])", unexpected.Message);
    }

    [Fact]
    public void TruncatedFileIsRejected()
    {
        using var model = CausalLm.Create(TinyModels.Qwen3Style(), 1);
        Checkpoint.Save(model, dir);
        var path = Path.Combine(dir, Checkpoint.WeightsFile);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.LoadWeights(model, dir));
        Assert.Contains("byte range", error.Message);
    }

    /// <summary>A file cut inside its header said "Unable to read beyond the end of the stream", naming nothing.</summary>
    [Theory]
    [InlineData(4, "too short for a safetensors file")]
    [InlineData(20, "impossible for a")]
    public void AFileCutInsideItsHeaderIsNamed(int keep, string expected)
    {
        using var model = CausalLm.Create(TinyModels.Qwen3Style(), 1);
        Checkpoint.Save(model, dir);
        var path = Path.Combine(dir, Checkpoint.WeightsFile);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..keep]);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.LoadWeights(model, dir));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }
}
