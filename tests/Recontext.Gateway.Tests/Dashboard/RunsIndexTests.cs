using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Recontext.Gateway.Host;
using Recontext.Runs;
using Recontext.Runs.Evaluation;

namespace Recontext.Gateway.Tests.Dashboard;

/// <summary>The runs page keeps an index of run summaries: a run whose files change is read again, a removed run leaves
/// the list, and the page shows 100 runs at a time.</summary>
public sealed class RunsIndexTests : IAsyncLifetime
{
    readonly string root = System.IO.Directory.CreateTempSubdirectory("recontext-runs-index-").FullName;
    WebApplication app = null!;
    HttpClient http = null!;

    public async Task InitializeAsync()
    {
        for (int i = 0; i < 150; i++) WriteRun(i, completed: 4);
        app = GatewayHost.Build(["--runs", root, "--dashboard-only", "true", "--urls", "http://127.0.0.1:0", "--grpc-url", "http://127.0.0.1:0", "--cache", Path.Combine(root, ".cache"),
            "--Logging:LogLevel:Default", "Warning"]);
        await app.StartAsync();
        http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    public async Task DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        System.IO.Directory.Delete(root, recursive: true);
    }

    string RunDirectory(int i) => Path.Combine(root, $"experiment-{i / 50}", $"seed-{i}");

    void WriteRun(int i, int completed)
    {
        var directory = RunDirectory(i);
        System.IO.Directory.CreateDirectory(directory);
        using (var files = RunFiles.Open(directory, new RunConfig { Name = $"run-{i:D3}", Seed = i, Steps = 8, EvalEvery = 4 }, completed: null))
        {
            for (int step = 1; step <= completed; step++) files.Append(StepRecord.Parse($"{step},0.5,0.25,0.5,1,0,0.1,0,0,0,1,0.01,0,0.5,0.01,0"));
            files.Append(completed, [new ContextRates("neutral", 8, completed / 10.0, 0.5, 1, 0.5, 0, 0, 0)]);
        }
        RunState.Commit(directory, completed);
    }

    async Task<JsonElement> Runs(string query = "") => await http.GetFromJsonAsync<JsonElement>("/api/dashboard/runs" + query);

    [Fact]
    public async Task AChangedRunIsReadAgainAndARemovedOneLeavesTheList()
    {
        var first = await Runs();
        Assert.Equal((150, 150, 100, 2), (first.GetProperty("total").GetInt32(), first.GetProperty("matching").GetInt32(), first.GetProperty("runs").GetArrayLength(),
            first.GetProperty("pages").GetInt32()));
        var second = await Runs("?page=2");
        Assert.Equal(50, second.GetProperty("runs").GetArrayLength());
        Assert.Empty(second.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("key").GetString())
            .Intersect(first.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("key").GetString())));

        var key = $"experiment-0/seed-7";
        var before = (await Runs("?experiment=experiment-0")).GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("key").GetString() == key);
        Assert.Equal(4, before.GetProperty("step").GetInt32());

        WriteRun(7, completed: 8);   // the run moved on: its files changed
        var after = (await Runs("?experiment=experiment-0")).GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("key").GetString() == key);
        Assert.Equal((8, "completed"), (after.GetProperty("step").GetInt32(), after.GetProperty("status").GetString()));

        System.IO.Directory.Delete(RunDirectory(8), recursive: true);
        Assert.Equal(149, (await Runs()).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/dashboard/runs?page=0")).StatusCode);
    }
}
