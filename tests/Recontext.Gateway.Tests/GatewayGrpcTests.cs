using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Recontext.Contracts.Grpc;

namespace Recontext.Gateway.Tests;

/// <summary>The gateway's run API over gRPC (proto/runs.proto): the REST API's calls, its errors as status codes.</summary>
public sealed class GatewayGrpcTests : IAsyncLifetime
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-gateway-grpc-").FullName;
    GatewayFixture gateway = null!;
    GrpcChannel channel = null!;
    Contracts.Grpc.Runs.RunsClient client = null!;

    static readonly Metadata Key = new() { { "authorization", $"Bearer {GatewayFixture.Key}" } };

    public async Task InitializeAsync()
    {
        gateway = await GatewayFixture.StartAsync(root);
        channel = GrpcChannel.ForAddress(gateway.GrpcAddress);
        client = new Contracts.Grpc.Runs.RunsClient(channel);
    }

    public async Task DisposeAsync()
    {
        channel.Dispose();
        await gateway.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task ARunSubmittedOverGrpcTrainsStreamsAndServesItsRollouts()
    {
        var yaml = GatewayFixture.Experiment(root, steps: 2);
        var noKey = await Assert.ThrowsAsync<RpcException>(() => client.SubmitAsync(new SubmitRun { ExperimentYaml = yaml }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, noKey.StatusCode);
        var invalid = await Assert.ThrowsAsync<RpcException>(() =>
            client.SubmitAsync(new SubmitRun { ExperimentYaml = yaml.Replace("steps: 2", "steps: -1") }, Key).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains("steps", invalid.Status.Detail);
        Assert.Empty((await client.ListAsync(new ListRuns())).Runs);

        var run = await client.SubmitAsync(new SubmitRun { ExperimentYaml = yaml }, Key);
        Assert.Equal("queued", run.Status);
        var kinds = new List<string>();
        var steps = new List<int>();
        using (var watch = client.Watch(new RunRef { Id = run.Id }))
            await foreach (var e in watch.ResponseStream.ReadAllAsync())
            {
                kinds.Add(e.Kind);
                if (e.Kind == "step") steps.Add(JsonDocument.Parse(e.Json).RootElement.GetProperty("step").GetInt32());
            }
        Assert.Equal([1, 2], steps);
        Assert.Equal(6, kinds.Count(k => k == "evaluation"));
        Assert.Equal("completed", (await client.GetAsync(new RunRef { Id = run.Id })).Status);
        Assert.Contains((await client.ListAsync(new ListRuns())).Runs, r => r.Id == run.Id);

        var hacks = await client.RolloutsAsync(new RolloutQueryRequest { Id = run.Id, Filters = { ["hack"] = "true", ["pageSize"] = "500" } });
        Assert.All(hacks.RolloutsJson, r => Assert.True(JsonDocument.Parse(r).RootElement.GetProperty("misbehaved").GetBoolean()));
        var all = await client.RolloutsAsync(new RolloutQueryRequest { Id = run.Id, Filters = { ["pageSize"] = "500" } });
        Assert.Equal(12, all.Total);
        var bad = await Assert.ThrowsAsync<RpcException>(() => client.RolloutsAsync(new RolloutQueryRequest { Id = run.Id, Filters = { ["hack"] = "maybe" } }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Contains("hack: must be true or false", bad.Status.Detail);
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(new RunRef { Id = "no-such-run" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        var stopWithoutKey = await Assert.ThrowsAsync<RpcException>(() => client.StopAsync(new RunRef { Id = run.Id }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, stopWithoutKey.StatusCode);
    }
}
