using Recontext.Gateway.Dashboard.Catalog;

namespace Recontext.Gateway.Dashboard.Pages;

/// <summary>The runs page (and its JSON twin): the runs that pass the filters, and the experiments to filter by.</summary>
public sealed record RunsPageModel(IReadOnlyList<DashboardRun> Runs, string? Experiment, string? Status, IReadOnlyList<string> Experiments, int Total)
{
    /// <exception cref="FormatException">a filter is unknown or has a value it cannot take (the message names it)</exception>
    public static RunsPageModel Of(IReadOnlyList<DashboardRun> all, IEnumerable<KeyValuePair<string, string?>> query)
    {
        string? experiment = null, status = null;
        foreach (var (name, value) in query)
        {
            switch (name)
            {
                case "experiment":
                    experiment = value is { Length: > 0 and <= 400 } ? value : throw new FormatException("experiment: give an experiment's name (1 to 400 characters)");
                    break;
                case "status":
                    status = DashboardRun.Statuses.Contains(value) ? value
                        : throw new FormatException($"status: '{value}' is unknown; allowed: {string.Join(", ", DashboardRun.Statuses)}");
                    break;
                default:
                    throw new FormatException($"{name}: unknown filter; allowed: experiment, status");
            }
        }
        var runs = all.Where(r => (experiment is null || r.Experiment == experiment) && (status is null || r.Status == status)).ToList();
        return new RunsPageModel(runs, experiment, status, all.Select(r => r.Experiment).Distinct().Order(StringComparer.Ordinal).ToList(), all.Count);
    }
}
