using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Recontext.Runs.Config;

namespace Recontext.Gateway.Apis;

/// <summary>
/// The gateway's REST/JSON API under <c>/api/runs</c>: submit an experiment (its YAML as the request body), list,
/// get, stop, stream a run's events (newline-delimited JSON), and browse its rollouts with filters and paging.
/// Reads are open on loopback (else they need a key: <see cref="ReadAccess"/>); submit and stop always need
/// <c>Authorization: Bearer KEY</c>.
/// </summary>
public static class RunsApi
{
    /// <summary>The largest experiment file accepted (a real one is a few hundred bytes).</summary>
    public const int MaxExperimentBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/runs");
        // Reads: open on loopback, or with a key (ReadAccess); writes always need a key.
        var reads = api.MapGroup("").AddEndpointFilter(ReadAccess.Filter);
        api.MapPost("/", SubmitAsync);
        reads.MapGet("/", (RunManager runs) => Results.Ok(runs.List()));
        reads.MapGet("/{id}", (string id, RunManager runs) => runs.Get(id) is { } run ? Results.Ok(run) : NotFound(id));
        api.MapPost("/{id}/stop", (string id, HttpRequest request, RunManager runs, ApiKeyCheck keys) =>
            !keys.Allows(request.Headers.Authorization) ? Unauthorized(keys)
            : runs.Stop(id) ? Results.Accepted($"/api/runs/{id}", runs.Get(id)) : NotFound(id));
        reads.MapGet("/{id}/events", WatchAsync);
        reads.MapGet("/{id}/rollouts", (string id, HttpRequest request, RunManager runs) =>
        {
            RolloutQuery query;
            try
            {
                query = RolloutQuery.Parse(request.Query.Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString())));
            }
            catch (FormatException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "bad filter");
            }
            return runs.Rollouts(id, query) is { } found
                ? Results.Ok(new { total = found.Total, page = query.Page, pageSize = query.PageSize, rollouts = found.Page })
                : NotFound(id);
        });
        return routes;
    }

    static async Task<IResult> SubmitAsync(HttpRequest request, RunManager runs, ApiKeyCheck keys)
    {
        if (!keys.Allows(request.Headers.Authorization)) return Unauthorized(keys);
        if (request.ContentLength > MaxExperimentBytes) return TooLarge();
        var buffer = new char[MaxExperimentBytes + 1];
        using var reader = new StreamReader(request.Body);
        int read = await reader.ReadBlockAsync(buffer, request.HttpContext.RequestAborted);
        if (read > MaxExperimentBytes) return TooLarge();
        try
        {
            var run = runs.Submit(new string(buffer, 0, read));
            return Results.Created($"/api/runs/{run.Id}", run);
        }
        catch (Exception e) when (e is ExperimentException or ArgumentException)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "invalid experiment");
        }
        catch (QueueFullException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status429TooManyRequests, title: "queue full");
        }
    }

    static async Task WatchAsync(string id, HttpContext context, RunManager runs)
    {
        var events = runs.Watch(id, context.RequestAborted);
        if (events is null)
        {
            await NotFound(id).ExecuteAsync(context);
            return;
        }
        context.Response.ContentType = "application/x-ndjson";
        try
        {
            await foreach (var e in events)
            {
                await context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(e, System.Text.Json.JsonSerializerOptions.Web) + "\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the watcher went away
        }
    }

    static IResult NotFound(string id) => Results.Problem($"no run '{id}' on this gateway", statusCode: StatusCodes.Status404NotFound, title: "unknown run");

    static IResult Unauthorized(ApiKeyCheck keys) => Results.Problem(keys.Any
            ? "this call changes runs: give an API key as 'Authorization: Bearer KEY'"
            : "this gateway was started without API keys, so it only reads: start it with --api-keys KEY to submit and stop runs",
        statusCode: StatusCodes.Status401Unauthorized, title: "API key required");

    static IResult TooLarge() => Results.Problem($"the experiment is larger than {MaxExperimentBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge, title: "too large");
}
