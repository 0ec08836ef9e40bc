using Recontext.Gateway.Dashboard.Catalog;
using Recontext.Store;

namespace Recontext.Gateway.Dashboard.Pages;

/// <summary>A page of a run's rollouts that pass the filters (and its JSON twin).</summary>
/// <param name="Traced">false when the run has no trace store yet (nothing sampled so far)</param>
public sealed record RolloutsPageModel(DashboardRun Run, RolloutQuery Query, int Total, IReadOnlyList<RolloutDocument> Rollouts, bool Traced)
{
    public int Pages => Math.Max(1, (Total + Query.PageSize - 1) / Query.PageSize);

    /// <summary>The monitor labels a filter can ask for.</summary>
    public static IReadOnlyList<string> Labels => RolloutQuery.LabelNames;
}
