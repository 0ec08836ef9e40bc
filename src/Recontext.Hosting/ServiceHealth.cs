using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Recontext.Hosting;

/// <summary>
/// Every host's two probes: <c>/alive</c> answers while the process serves requests (a liveness probe: restart it
/// when this fails), <c>/health</c> also checks its dependencies, the bus connection above all (a readiness probe:
/// send it work when this passes). Kept apart so that a broker outage makes services unready, not restarted.
/// </summary>
public static class ServiceHealth
{
    const string Live = "live";

    public static IHealthChecksBuilder AddServiceHealth(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [Live]);

    public static void MapServiceHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Live) });
    }
}
