using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Recontext.Gateway.Dashboard.Catalog;
using Recontext.Gateway.Dashboard.Compare;
using Recontext.Gateway.Dashboard.Pages;
using Recontext.Gateway.Dashboard.Rollouts;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;
using Recontext.Store;

namespace Recontext.Gateway.Dashboard;

/// <summary>
/// The dashboard: server-rendered pages under <c>/dashboard</c> (runs, a run, compare, rollouts, a rollout), each with
/// its JSON twin at the same address under <c>/api/dashboard</c>, the live streams that tell an open page its run moved
/// on, and the stylesheet and script. Everything here only reads; reads need a key unless they are open
/// (<see cref="ReadAccess"/>).
/// </summary>
public static class DashboardEndpoints
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddSingleton<RunCatalog>();
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => Results.Redirect(DashboardRoutes.Runs())).ExcludeFromDescription();
        routes.MapGet(DashboardRoutes.Root, () => Results.Redirect(DashboardRoutes.Runs()));
        routes.MapGet(DashboardRoutes.Root + "/assets/{name}", Asset);
        routes.MapPost(DashboardRoutes.Login, LoginAsync).DisableAntiforgery();

        var pages = routes.MapGroup(DashboardRoutes.Root).AddEndpointFilter(PageAccess);
        var api = routes.MapGroup(DashboardRoutes.ApiRoot).AddEndpointFilter(ReadAccess.Filter);
        Map("/runs", (catalog, request) => RunsPage(catalog, request));
        Map("/run/{**key}", (catalog, request) => RunPage(catalog, Key(request)));
        Map("/compare", (catalog, request) => ComparePage(catalog, request));
        Map("/rollouts/{**key}", (catalog, request) => Traced(() => RolloutsPage(catalog, Key(request), request)));
        Map("/rollout/{step:int}/{index:int}/{**key}", (catalog, request) => Traced(() =>
            RolloutPage(catalog, Key(request), int.Parse((string)request.RouteValues["step"]!), int.Parse((string)request.RouteValues["index"]!), request)));
        pages.MapGet("/live/{**key}", (string key, RunCatalog catalog, HttpContext context) =>
            LiveStream.RunAsync(context, () => catalog.Signature(key), s => s is null || s.StartsWith("running", StringComparison.Ordinal) || s.StartsWith("queued", StringComparison.Ordinal)));
        pages.MapGet("/live-list", (RunCatalog catalog, HttpContext context) =>
            LiveStream.RunAsync(context, () => string.Join(";", catalog.Runs().Select(r => $"{r.Key}:{r.Status.Name()}:{r.Step}:{r.LastEvaluatedStep}")),
                // The list keeps listening while any run moves.
                s => s is not null && (s.Contains(":running:", StringComparison.Ordinal) || s.Contains(":queued:", StringComparison.Ordinal))));
        return routes;

        // One handler serves a page and its JSON twin: the page renders the model, the twin serializes it.
        void Map(string pattern, Func<RunCatalog, HttpRequest, PageAnswer> answer)
        {
            pages.MapGet(pattern, (RunCatalog catalog, HttpRequest request) => answer(catalog, request).Page(request));
            api.MapGet(pattern, (RunCatalog catalog, HttpRequest request) => answer(catalog, request).Json());
        }
    }

    /// <summary>A page's answer: its model and how to render it, or a problem (404, 400) in both forms.</summary>
    sealed record PageAnswer(object? Model, Func<IResult>? Render, int Status = 200, string? Title = null, string? Detail = null)
    {
        public static PageAnswer Of<TPage>(object model, IDictionary<string, object?> parameters) where TPage : IComponent =>
            new(model, () => new RazorComponentResult<TPage>(parameters));

        public static PageAnswer Problem(int status, string title, string detail) => new(null, null, status, title, detail);

        public IResult Page(HttpRequest request) => Render is { } render ? render()
            : ProblemPageResult(Status, Title!, Detail!, DashboardRoutes.Json(request.Path + request.QueryString));

        public IResult Json() => Render is not null ? Results.Json(Model, JsonSerializerOptions.Web) : Results.Problem(Detail, statusCode: Status, title: Title);
    }

    static PageAnswer RunsPage(RunCatalog catalog, HttpRequest request)
    {
        RunsPageModel model;
        try
        {
            model = RunsPageModel.Of(catalog.Runs(), Parameters(request));
        }
        catch (FormatException e)
        {
            return BadFilter(e);
        }
        return PageAnswer.Of<RunsPage>(model, new Dictionary<string, object?> { ["Model"] = model });
    }

    static PageAnswer RunPage(RunCatalog catalog, string key) =>
        catalog.Read(key) is { } detail ? PageAnswer.Of<RunPage>(detail, new Dictionary<string, object?> { ["Model"] = detail }) : UnknownRun(key);

    static PageAnswer ComparePage(RunCatalog catalog, HttpRequest request)
    {
        string? experiment = null;
        var keys = new List<string>();
        foreach (var (name, value) in Parameters(request))
        {
            if (name == "experiment" && value is { Length: > 0 }) experiment = value;
            else if (name == "run" && value is { Length: > 0 }) keys.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            else if (name is not ("experiment" or "run")) return BadFilter(new FormatException($"{name}: unknown parameter; allowed: experiment, run"));
        }
        var self = request.Path + request.QueryString;
        var all = catalog.Runs();
        if (experiment is null && keys.Count == 0)
            return new PageAnswer(new { experiments = all.Select(r => r.Experiment).Distinct().ToList() }, () => new RazorComponentResult<ComparePage>(new Dictionary<string, object?>
            {
                ["Experiments"] = all.Select(r => r.Experiment).Distinct().Order(StringComparer.Ordinal).ToList(), ["SelfUrl"] = self.ToString(),
            }));
        if (experiment is not null && all.All(r => r.Experiment != experiment))
            return PageAnswer.Problem(404, "unknown experiment", $"no experiment '{experiment}' on this gateway");
        var selected = new List<RunDetail>();
        foreach (var key in keys.Concat(all.Where(r => r.Experiment == experiment).Select(r => r.Key)).Distinct())
        {
            if (catalog.Read(key) is not { } run) return UnknownRun(key);
            selected.Add(run);
        }
        var comparison = Comparison.Of(selected);
        return PageAnswer.Of<ComparePage>(comparison, new Dictionary<string, object?>
        {
            ["Comparison"] = comparison, ["Experiment"] = experiment, ["SelfUrl"] = self.ToString(),
        });
    }

    static PageAnswer RolloutsPage(RunCatalog catalog, string key, HttpRequest request)
    {
        if (catalog.Read(key)?.Run is not { } run) return UnknownRun(key);
        RolloutQuery query;
        try
        {
            var parameters = Parameters(request).ToList();
            if (parameters.Any(p => p.Key == "seed")) throw new FormatException("seed: the run's address names its seed; filter by step, misbehaved, correct, context or label");
            // An empty field of the filter form means "any".
            query = RolloutQuery.Parse(parameters.Where(p => !string.IsNullOrEmpty(p.Value)));
        }
        catch (FormatException e)
        {
            return BadFilter(e);
        }
        var traces = catalog.OpenTraces(key);
        if (traces is not var (store, traceId))
        {
            var empty = new RolloutsPageModel(run, query, 0, [], Traced: false);
            return PageAnswer.Of<RolloutsPage>(empty, new Dictionary<string, object?> { ["Model"] = empty });
        }
        using (store)
        {
            var (page, total) = query.Read(store, traceId);
            var model = new RolloutsPageModel(run, query, total, page, Traced: true);
            return PageAnswer.Of<RolloutsPage>(model, new Dictionary<string, object?> { ["Model"] = model });
        }
    }

    static PageAnswer RolloutPage(RunCatalog catalog, string key, int step, int index, HttpRequest request)
    {
        if (catalog.Read(key) is not { Run: var run } detail) return UnknownRun(key);
        string? evalContext = null;
        foreach (var (name, value) in Parameters(request))
        {
            if (name == "evalContext" && value is { Length: > 0 }) evalContext = value;
            else return BadFilter(new FormatException($"{name}: unknown parameter; allowed: evalContext (for an evaluation sample)"));
        }
        if (catalog.OpenTraces(key) is not var (store, traceId)) return PageAnswer.Problem(404, "unknown rollout", $"run '{key}' has no traces yet");
        using (store)
        {
            var found = store.Rollouts(traceId, step, evaluation: evalContext is not null).FirstOrDefault(r => r.Index == index && r.EvalContext == evalContext);
            if (found is not { } rollout)
                return PageAnswer.Problem(404, "unknown rollout", evalContext is null
                    ? $"run '{key}' has no rollout {index} at step {step}"
                    : $"run '{key}' has no evaluation sample {index} under '{evalContext}' at step {step}");
            // The run model's tokenizer (a Hugging Face folder's, or the organism's byte tokenizer).
            var model = new RolloutPageModel(run, RolloutView.Of(rollout, ModelText.For(detail.ModelFolder).Tokenizer));
            return PageAnswer.Of<RolloutPage>(model, new Dictionary<string, object?> { ["Model"] = model });
        }
    }

    /// <summary>A page that reads a trace store: a store that cannot be read now (MongoDB away, a file mid-write or
    /// damaged) is a 503 that says why, not a crash.</summary>
    static PageAnswer Traced(Func<PageAnswer> answer)
    {
        try
        {
            return answer();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or TimeoutException or LiteDB.LiteException or MongoDB.Driver.MongoException)
        {
            return PageAnswer.Problem(503, "traces unavailable", $"the run's traces cannot be read right now: {e.Message.Split('\n')[0]}; try again shortly");
        }
    }

    static PageAnswer UnknownRun(string key) => PageAnswer.Problem(404, "unknown run", $"no run '{key}' on this gateway");

    static PageAnswer BadFilter(FormatException e) => PageAnswer.Problem(400, "bad filter", e.Message);

    static string Key(HttpRequest request) => (string?)request.RouteValues["key"] ?? "";

    static IEnumerable<KeyValuePair<string, string?>> Parameters(HttpRequest request) =>
        request.Query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)));

    /// <summary>Pages refuse a read without a key with the login form (a browser cannot send a bearer header by itself).</summary>
    static async ValueTask<object?> PageAccess(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.RequestServices.GetRequiredService<ReadAccess>().Allows(http.Request)) return await next(context);
        var self = (http.Request.Path + http.Request.QueryString).ToString();
        return ProblemPageResult(401, "API key required", "This gateway listens beyond this machine, so reading its runs needs one of its API keys.",
            DashboardRoutes.Json(self), returnUrl: self);
    }

    /// <param name="returnUrl">where the login form on a 401 page sends the browser back to</param>
    static RazorComponentResult<ProblemPage> ProblemPageResult(int status, string title, string detail, string jsonUrl, string? returnUrl = null)
    {
        var parameters = new Dictionary<string, object?> { ["Status"] = status, ["Title"] = title, ["Detail"] = detail, ["JsonUrl"] = jsonUrl };
        if (returnUrl is not null) parameters["ReturnUrl"] = returnUrl;
        return new RazorComponentResult<ProblemPage>(parameters) { StatusCode = status };
    }

    static async Task<IResult> LoginAsync(HttpContext context, ApiKeyCheck keys)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var key = form["key"].ToString();
        var back = form["return"].ToString();
        // Only a path on this site: a login never sends the browser elsewhere.
        if (!back.StartsWith(DashboardRoutes.Root + "/", StringComparison.Ordinal) || back.Contains("//") || back.Contains('\\')) back = DashboardRoutes.Runs();
        if (!keys.Allows("Bearer " + key))
            return ProblemPageResult(401, "API key required", "That key is not one of this gateway's.", DashboardRoutes.Json(DashboardRoutes.Runs()), returnUrl: back);
        context.Response.Cookies.Append(ReadAccess.CookieName, key, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/", MaxAge = TimeSpan.FromDays(7),
        });
        return Results.Redirect(back);
    }

    static IResult Asset(string name)
    {
        var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream($"dashboard/{name}");
        if (stream is null) return Results.NotFound();
        var type = Path.GetExtension(name) switch { ".css" => "text/css; charset=utf-8", ".js" => "text/javascript; charset=utf-8", _ => "application/octet-stream" };
        return Results.Stream(stream, type);
    }
}
