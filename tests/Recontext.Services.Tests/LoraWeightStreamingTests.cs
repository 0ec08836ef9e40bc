using Recontext.Generator.Messaging;
using Recontext.Model;
using Recontext.Model.Checkpoints;
using Recontext.Model.Lora;
using Recontext.Model.Modules;
using Recontext.Trainer.Messaging.Weights;
using static TorchSharp.torch;

namespace Recontext.Services.Tests;

/// <summary>A LoRA run's versions travel as the adapter alone: a generator service fetches the base once and puts each
/// new adapter on it, and samples with the very weights the trainer has.</summary>
public sealed class LoraWeightStreamingTests : IAsyncLifetime, IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-lora-weights-").FullName;
    WeightsServer server = null!;

    public async Task InitializeAsync() => server = await WeightsServer.StartAsync("http://127.0.0.1:0");

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose() => Directory.Delete(root, recursive: true);

    static readonly long[] Ids = [3, 17, 99, 4, 250, 8, 31, 7];

    static float[] Logits(CausalLm model)
    {
        using var noGrad = no_grad();
        using var input = tensor(Ids).unsqueeze(0);
        using var logits = model.Forward(input).to(ScalarType.Float32);
        return logits.data<float>().ToArray();
    }

    /// <summary>A base (v0) and two adapter versions on it, served as <paramref name="runId"/>; the logits each gives.</summary>
    async Task<(Dictionary<int, string> Versions, Dictionary<int, float[]> Expected)> ServeVersionsAsync(string runId)
    {
        var config = new Organism.BaseModelOptions { DModel = 128, Layers = 2 }.ModelConfig;
        var v0 = Path.Combine(root, runId, "v0");
        var versions = new Dictionary<int, string> { [0] = v0 };
        var expected = new Dictionary<int, float[]>();
        await TorchThread.Default.Run(() =>
        {
            using var model = CausalLm.Create(config, seed: 4);
            Checkpoint.Save(model, v0);
            using var adapters = LoraAdapters.Attach(model, new LoraConfig { Rank = 4, Alpha = 8 }, seed: 1);
            var generator = new TorchSharp.torch.Generator(3);
            foreach (int version in new[] { 1, 2 })
            {
                using (no_grad())
                    foreach (var b in adapters.PeftStateDict().Where(kv => kv.Key.EndsWith("lora_B.weight")).Select(kv => kv.Value))
                        b.copy_(0.1 * randn(b.shape, generator: generator));
                versions[version] = Path.Combine(root, runId, $"v{version}");
                adapters.Save(versions[version], v0);
                expected[version] = Logits(model);
            }
            return 0;
        });
        server.Sources.Add(runId, version => versions.GetValueOrDefault(version));
        return (versions, expected);
    }

    [Fact]
    public async Task AGeneratorFetchesTheBaseOnceAndThenOnlyAdapters()
    {
        var (versions, expected) = await ServeVersionsAsync("run-l");
        var v0 = versions[0];
        Assert.Equal([LoraConfig.FileName, LoraAdapters.WeightsFile], PolicyWeightsService.FilesOf(versions[1]));
        Assert.Equal([Checkpoint.ConfigFile, Checkpoint.WeightsFile], PolicyWeightsService.FilesOf(v0));
        long adapterBytes = new FileInfo(Path.Combine(versions[1], LoraAdapters.WeightsFile)).Length;
        Assert.True(adapterBytes * 5 < new FileInfo(Path.Combine(v0, Checkpoint.WeightsFile)).Length, "an adapter should be a fraction of the model");

        using var cache = new PolicyCache();
        var first = await cache.WithPolicyAsync("run-l", 1, server.Address, Logits, CancellationToken.None);
        Assert.Equal(expected[1], first);
        var second = await cache.WithPolicyAsync("run-l", 2, server.Address, Logits, CancellationToken.None);
        Assert.Equal(expected[2], second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task AGeneratorHoldsTheBaseInTheRunsComputeDtype()
    {
        var (_, expected) = await ServeVersionsAsync("run-b");
        using var cache = new PolicyCache();
        var (dtype, logits) = await cache.WithPolicyAsync("run-b", 1, server.Address, model => (model.DType, Logits(model)), CancellationToken.None, computeDtype: "bfloat16");
        Assert.Equal(ScalarType.BFloat16, dtype);
        float worst = logits.Zip(expected[1], (a, b) => Math.Abs(a - b)).Max(), largest = expected[1].Select(Math.Abs).Max();
        Assert.True(worst > 0 && worst < 0.05 * largest, $"bf16 logits differ from fp32 by up to {worst} (largest {largest})");
    }
}
