using Recontext.Gateway.Dashboard.Catalog;
using Recontext.Gateway.Dashboard.Rollouts;

namespace Recontext.Gateway.Dashboard.Pages;

/// <summary>One rollout's page (and its JSON twin).</summary>
public sealed record RolloutPageModel(DashboardRun Run, RolloutView View);
