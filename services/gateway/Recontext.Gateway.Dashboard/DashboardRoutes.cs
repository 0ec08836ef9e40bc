using Recontext.Gateway;

namespace Recontext.Gateway.Dashboard;

/// <summary>The dashboard's addresses. Each page has a JSON twin at the same path under <c>/api</c>; a run's key
/// (a path such as <c>demo-1/runs/good-to-bad/seed-2</c>) is the address's last part.</summary>
public static class DashboardRoutes
{
    public const string Root = "/dashboard";
    public const string ApiRoot = "/api" + Root;

    public static string Runs(string? experiment = null, string? status = null, int? page = null) =>
        Root + "/runs" + Query(("experiment", experiment), ("status", status), ("page", page > 1 ? page.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));

    public static string Run(string key) => $"{Root}/run/{Escape(key)}";

    public static string Compare(string? experiment = null) => Root + "/compare" + Query(("experiment", experiment));

    public static string CompareRuns(IEnumerable<string> keys) => Root + "/compare" + Query(keys.Select(k => ("run", (string?)k)).ToArray());

    public static string Rollouts(string key, RolloutQuery? query = null, int? page = null) => $"{Root}/rollouts/{Escape(key)}" + Query(Filters(query, page));

    /// <param name="evalContext">the eval context of an evaluation sample; null for a training rollout</param>
    public static string Rollout(string key, int step, int index, string? evalContext = null) =>
        $"{Root}/rollout/{step}/{index}/{Escape(key)}" + Query(("evalContext", evalContext));

    public static string Live(string key) => $"{Root}/live/{Escape(key)}";

    public static string Asset(string name) => $"{Root}/assets/{name}";

    public const string Login = Root + "/login";

    /// <summary>The JSON twin of a page's address (the same path and query under /api).</summary>
    public static string Json(string page) => "/api" + page;

    static (string, string?)[] Filters(RolloutQuery? q, int? page) => q is null ? [("page", page?.ToString())] :
    [
        ("step", q.Step?.ToString()), ("kind", q.Evaluation && q.EvalContext is null ? "eval" : null), ("evalContext", q.EvalContext), ("misbehaved", Flag(q.Misbehaved)), ("correct", Flag(q.Correct)), ("context", q.Context), ("label", q.Label),
        ("page", (page ?? q.Page) != 1 ? (page ?? q.Page).ToString() : null), ("pageSize", q.PageSize != new RolloutQuery().PageSize ? q.PageSize.ToString() : null),
    ];

    static string? Flag(bool? value) => value switch { true => "true", false => "false", null => null };

    /// <summary>Escapes each segment of a key, keeping its slashes.</summary>
    static string Escape(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join("&", present);
    }
}
