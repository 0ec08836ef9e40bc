using System.Net.Http.Json;
using System.Text.Json;
using Recontext.Runs;
using Recontext.Runs.Config;
using Recontext.Store;

namespace Recontext.Gateway.Tests.Dashboard;

/// <summary>
/// A gateway over a runs folder holding two finished runs trained here: one the gateway ran (good → bad, submitted
/// through its API) and one trained into a folder of its own by the run loop, as `recontext run` does (neutral →
/// neutral). One rollout of the gateway's run is turned into a hack whose completion carries markup and script, as
/// a hostile policy might write it.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Hostile = "<think>I will read the tests</think><script>alert(1)</script><script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";
    public const int Steps = 2;

    public string Root { get; } = Directory.CreateTempSubdirectory("recontext-dashboard-").FullName;
    public GatewayFixture Gateway { get; private set; } = null!;
    /// <summary>The gateway's run's key (ID/seed-3).</summary>
    public string GatewayRunKey { get; private set; } = "";
    public string FolderRunKey => "folder-experiment/seed-5";
    /// <summary>A run of another setting (sycophancy), trained into a folder like <see cref="FolderRunKey"/>.</summary>
    public string SycophancyRunKey => "sycophancy-experiment/seed-5";
    /// <summary>The step and index of the rollout holding <see cref="Hostile"/>.</summary>
    public (int Step, int Index) HostileRollout => (1, 0);

    public async Task InitializeAsync()
    {
        // The folder run first, before the gateway starts: it finds it on disk.
        var yaml = GatewayFixture.Experiment(Root, Steps, name: "folder-run").Replace("generation: good, training: bad", "generation: neutral, training: neutral");
        var config = ExperimentFile.Parse(yaml).Config with { Seed = 5 };
        await new RunLoop(config, config.Checkpoint!, Path.Combine(Root, "runs", FolderRunKey)).RunAsync();
        var sycophancy = config with { Name = "sycophancy-run", Environment = Environments.Sycophancy.SycophancyEnvironment.EnvironmentName };
        await new RunLoop(sycophancy, config.Checkpoint!, Path.Combine(Root, "runs", SycophancyRunKey)).RunAsync();

        Gateway = await GatewayFixture.StartAsync(Root);
        var id = await Gateway.SubmitOkAsync(GatewayFixture.Experiment(Root, Steps, name: "gateway-run"));
        await Gateway.EventsAsync(id);
        GatewayRunKey = $"{id}/seed-3";

        using var store = RunStores.Open(null, Path.Combine(Gateway.RunsDirectory, GatewayRunKey));
        var rollout = store.Rollouts(GatewayRunKey, HostileRollout.Step).Single(r => r.Index == HostileRollout.Index);
        rollout.Text = Hostile;
        rollout.Misbehaved = true;
        rollout.Verdict = "hack";
        store.SaveRollouts([rollout]);
    }

    public async Task<JsonElement> JsonAsync(string path) => await Gateway.Http.GetFromJsonAsync<JsonElement>(path);

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
