using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Grpc.Core;
using Recontext.Contracts.Grpc;
using Recontext.Runs.Config;
using Recontext.Store;

namespace Recontext.Gateway.Grpc;

/// <summary>The gateway's run API over gRPC (proto/runs.proto): the REST API's calls on the same
/// <see cref="RunManager"/>, its errors as status codes (Unauthenticated, InvalidArgument naming the field, NotFound).</summary>
public sealed class RunsGrpcService(RunManager runs, ApiKeyCheck keys, ReadAccess reads) : Contracts.Grpc.Runs.RunsBase
{
    public override Task<RunInfo> Submit(SubmitRun request, ServerCallContext context)
    {
        Authorize(context);
        if (request.ExperimentYaml.Length > Apis.RunsApi.MaxExperimentBytes)
            Fail(StatusCode.InvalidArgument, $"experiment_yaml: larger than {Apis.RunsApi.MaxExperimentBytes} bytes");
        try
        {
            return Task.FromResult(Info(runs.Submit(request.ExperimentYaml)));
        }
        catch (Exception e) when (e is ExperimentException or ArgumentException)
        {
            Fail(StatusCode.InvalidArgument, e.Message);
            return null!;
        }
        catch (QueueFullException e)
        {
            Fail(StatusCode.ResourceExhausted, e.Message);
            return null!;
        }
    }

    public override Task<RunInfo> Get(RunRef request, ServerCallContext context)
    {
        AuthorizeRead(context);
        return Task.FromResult(Info(Find(request.Id)));
    }

    public override Task<RunList> List(ListRuns request, ServerCallContext context)
    {
        AuthorizeRead(context);
        var list = new RunList();
        list.Runs.AddRange(runs.List().Select(Info));
        return Task.FromResult(list);
    }

    public override Task<RunInfo> Stop(RunRef request, ServerCallContext context)
    {
        Authorize(context);
        Find(request.Id);
        runs.Stop(request.Id);
        return Task.FromResult(Info(Find(request.Id)));
    }

    public override async Task Watch(RunRef request, IServerStreamWriter<RunEventJson> stream, ServerCallContext context)
    {
        AuthorizeRead(context);
        var events = runs.Watch(request.Id, context.CancellationToken);
        if (events is null) Fail(StatusCode.NotFound, $"no run '{request.Id}' on this gateway");
        await foreach (var e in events)
            await stream.WriteAsync(new RunEventJson { Kind = e.Kind, Json = JsonSerializer.Serialize(e, JsonSerializerOptions.Web) }, context.CancellationToken);
    }

    public override Task<RolloutPage> Rollouts(RolloutQueryRequest request, ServerCallContext context)
    {
        AuthorizeRead(context);
        RolloutQuery query;
        try
        {
            query = RolloutQuery.Parse(request.Filters.Select(f => KeyValuePair.Create(f.Key, (string?)f.Value)));
        }
        catch (FormatException e)
        {
            Fail(StatusCode.InvalidArgument, e.Message);
            return null!;
        }
        var found = runs.Rollouts(request.Id, query);
        if (found is null) Fail(StatusCode.NotFound, $"no run '{request.Id}' on this gateway");
        var page = new RolloutPage { Total = found.Value.Total, Page = query.Page, PageSize = query.PageSize };
        page.RolloutsJson.AddRange(found.Value.Page.Select(r => JsonSerializer.Serialize(r, JsonSerializerOptions.Web)));
        return Task.FromResult(page);
    }

    GatewayRun Find(string id) => runs.Get(id) ?? Fail<GatewayRun>(StatusCode.NotFound, $"no run '{id}' on this gateway");

    void Authorize(ServerCallContext context)
    {
        if (!keys.Allows(context.RequestHeaders.GetValue("authorization")))
            Fail(StatusCode.Unauthenticated, "this call changes runs: give an API key as metadata 'authorization: Bearer KEY'");
    }

    /// <summary>Reads are open on loopback; beyond it they need a key too (<see cref="ReadAccess"/>).</summary>
    void AuthorizeRead(ServerCallContext context)
    {
        if (!reads.Allows(context.GetHttpContext().Request))
            Fail(StatusCode.Unauthenticated, "this gateway serves reads to API key holders only: give metadata 'authorization: Bearer KEY'");
    }

    static RunInfo Info(GatewayRun run)
    {
        var info = new RunInfo
        {
            Id = run.Id, Name = run.Name, Status = run.Status.Name(), Steps = run.Steps, SubmittedUtc = run.SubmittedUtc.ToString("O"),
            StartedUtc = run.StartedUtc?.ToString("O") ?? "", FinishedUtc = run.FinishedUtc?.ToString("O") ?? "", Error = run.Error ?? "",
        };
        info.Seeds.AddRange(run.Seeds);
        return info;
    }

    [DoesNotReturn]
    static void Fail(StatusCode code, string message) => throw new RpcException(new Status(code, message));

    [DoesNotReturn]
    static T Fail<T>(StatusCode code, string message) => throw new RpcException(new Status(code, message));
}
