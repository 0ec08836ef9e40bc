using Recontext.Gateway.Dashboard.Catalog;
using Recontext.Store;

namespace Recontext.Gateway.Dashboard.Pages;

/// <summary>The runs page (and its JSON twin): the runs that pass the filters, and the experiments to filter by.</summary>
/// <param name="Runs">the page's runs (at most <see cref="PageSize"/>)</param>
/// <param name="Matching">how many runs pass the filters, over every page</param>
public sealed record RunsPageModel(IReadOnlyList<DashboardRun> Runs, string? Experiment, RunStatus? Status, IReadOnlyList<string> Experiments, int Total,
    int Matching = 0, int Page = 1)
{
    /// <summary>Runs per page: a page renders in bounded time however many runs the folder holds.</summary>
    public const int PageSize = 100;

    public int Pages => Math.Max(1, (Matching + PageSize - 1) / PageSize);

    /// <exception cref="FormatException">a filter is unknown or has a value it cannot take (the message names it)</exception>
    public static RunsPageModel Of(IReadOnlyList<DashboardRun> all, IEnumerable<KeyValuePair<string, string?>> query)
    {
        string? experiment = null;
        RunStatus? status = null;
        int page = 1;
        foreach (var (name, value) in query)
        {
            switch (name)
            {
                case "experiment":
                    experiment = value is { Length: > 0 and <= 400 } ? value : throw new FormatException("experiment: give an experiment's name (1 to 400 characters)");
                    break;
                case "status":
                    status = RunStatuses.Parse(value);
                    break;
                case "page":
                    page = int.TryParse(value, out int p) && p >= 1 ? p : throw new FormatException($"page: give a page number from 1, got '{value}'");
                    break;
                default:
                    throw new FormatException($"{name}: unknown filter; allowed: experiment, status, page");
            }
        }
        var runs = all.Where(r => (experiment is null || r.Experiment == experiment) && (status is null || r.Status == status)).ToList();
        return new RunsPageModel(runs.Skip((page - 1) * PageSize).Take(PageSize).ToList(), experiment, status,
            all.Select(r => r.Experiment).Distinct().Order(StringComparer.Ordinal).ToList(), all.Count, runs.Count, page);
    }
}
