using Grpc.Core;
using Recontext.Generator.Messaging;
using Recontext.Model.Checkpoints;
using Recontext.Model.Modules;
using Recontext.Trainer.Messaging.Weights;

namespace Recontext.Services.Tests;

/// <summary>PolicyWeights over a real gRPC connection: byte-exact checkpoints in several chunks, named refusals.</summary>
public sealed class WeightStreamingTests : IAsyncLifetime, IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-weights-").FullName;
    WeightsServer server = null!;

    public async Task InitializeAsync() => server = await WeightsServer.StartAsync("http://127.0.0.1:0");

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task AVersionArrivesByteForByteInSeveralChunksAndLoads()
    {
        // d_model 256, 2 layers: model.safetensors is several chunks of PolicyWeightsService.ChunkBytes.
        var config = new Organism.BaseModelOptions { DModel = 256, Layers = 2 }.ModelConfig;
        var source = Path.Combine(root, "v3");
        using (var model = CausalLm.Create(config, seed: 4)) Checkpoint.Save(model, source);
        Assert.True(new FileInfo(Path.Combine(source, Checkpoint.WeightsFile)).Length > 2 * PolicyWeightsService.ChunkBytes);
        server.Sources.Add("run-a", version => version == 3 ? source : null);

        var target = Path.Combine(root, "fetched");
        long bytes = await WeightsClient.FetchAsync(server.Address, "run-a", 3, target, CancellationToken.None);

        foreach (var file in new[] { Checkpoint.ConfigFile, Checkpoint.WeightsFile })
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(source, file)), await File.ReadAllBytesAsync(Path.Combine(target, file)));
        Assert.Equal(new FileInfo(Path.Combine(source, Checkpoint.ConfigFile)).Length + new FileInfo(Path.Combine(source, Checkpoint.WeightsFile)).Length, bytes);
        using var loaded = Checkpoint.Load(target);
        Assert.Equal(config.HiddenSize, loaded.Config.HiddenSize);
    }

    [Fact]
    public async Task AnUnknownRunOrVersionIsRefusedByName()
    {
        server.Sources.Add("run-b", version => version == 0 ? root : null);
        var unknownRun = await Assert.ThrowsAsync<RpcException>(() => WeightsClient.FetchAsync(server.Address, "nobody", 0, Path.Combine(root, "x"), CancellationToken.None));
        Assert.Equal(StatusCode.NotFound, unknownRun.StatusCode);
        Assert.Contains("no run 'nobody' is served here", unknownRun.Status.Detail);
        var unknownVersion = await Assert.ThrowsAsync<RpcException>(() => WeightsClient.FetchAsync(server.Address, "run-b", 7, Path.Combine(root, "y"), CancellationToken.None));
        Assert.Contains("run 'run-b' does not hold policy version 7", unknownVersion.Status.Detail);
    }
}
