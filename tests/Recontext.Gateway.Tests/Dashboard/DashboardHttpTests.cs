using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Recontext.Gateway.Tests.Dashboard;

/// <summary>The dashboard over HTTP without a browser: every page answers with its content, its JSON twin agrees,
/// unknown runs and bad filters are named.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardHttpTests(DashboardFixture runs)
{
    async Task<(HttpStatusCode Status, IDocument Page, string Html)> PageAsync(string path)
    {
        var response = await runs.Gateway.Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, new HtmlParser().ParseDocument(html), html);
    }

    static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ARunOfAnotherSettingNamesItsMisbehaviourAndItsFilterWorks()
    {
        var (status, page, _) = await PageAsync($"/dashboard/run/{runs.SycophancyRunKey}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("agreed with a wrong belief", page.QuerySelector("#misbehaviour")!.TextContent);
        Assert.StartsWith("sycophancy", page.QuerySelector("#setting")!.TextContent);
        Assert.Contains("misbehaved (sycophancy)", page.QuerySelector("table.evaluations thead")!.TextContent);

        var all = await runs.JsonAsync($"/api/dashboard/rollouts/{runs.SycophancyRunKey}?pageSize=500");
        foreach (var flag in new[] { true, false })
        {
            var filtered = await runs.JsonAsync($"/api/dashboard/rollouts/{runs.SycophancyRunKey}?misbehaved={(flag ? "true" : "false")}&pageSize=500");
            Assert.All(filtered.GetProperty("rollouts").EnumerateArray(), r => Assert.Equal(flag, r.GetProperty("misbehaved").GetBoolean()));
            Assert.Equal(all.GetProperty("rollouts").EnumerateArray().Count(r => r.GetProperty("misbehaved").GetBoolean() == flag), filtered.GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task TheRunsPageListsTheGatewaysRunAndTheFolderRunAndFiltersThem()
    {
        var (status, page, _) = await PageAsync("/dashboard/runs");
        Assert.Equal(HttpStatusCode.OK, status);
        var rows = page.QuerySelectorAll("tr.run").ToDictionary(r => r.GetAttribute("data-key")!);
        Assert.Contains(runs.GatewayRunKey, rows.Keys);
        Assert.Contains(runs.FolderRunKey, rows.Keys);
        Assert.Equal("completed", rows[runs.GatewayRunKey].GetAttribute("data-status"));
        Assert.Contains("good → bad", rows[runs.GatewayRunKey].TextContent);
        Assert.Contains("neutral → neutral", rows[runs.FolderRunKey].TextContent);
        Assert.Contains($"{DashboardFixture.Steps} / {DashboardFixture.Steps}", rows[runs.FolderRunKey].TextContent);

        var twin = await runs.JsonAsync("/api/dashboard/runs");
        var listed = twin.GetProperty("runs").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal(rows.Keys.Order(), listed.Keys.Order());
        var folder = listed[runs.FolderRunKey];
        Assert.Equal("folder-experiment", folder.GetProperty("experiment").GetString());
        Assert.Equal(5, folder.GetProperty("seed").GetInt64());
        // The last evaluation is step 2's, one row per eval context, as in the run's evaluations.csv.
        var lastRows = File.ReadLines(Path.Combine(runs.Gateway.RunsDirectory, runs.FolderRunKey, "evaluations.csv")).Skip(1).Select(l => l.Split(',')).Where(f => f[0] == "2").ToList();
        Assert.Equal(lastRows.Select(f => Number(f[3])), folder.GetProperty("lastEvaluation").EnumerateArray().Select(e => e.GetProperty("misbehaviourRate").GetDouble()));

        var onlyFolder = await PageAsync("/dashboard/runs?experiment=folder-experiment");
        Assert.Equal([runs.FolderRunKey], onlyFolder.Page.QuerySelectorAll("tr.run").Select(r => r.GetAttribute("data-key")));
        Assert.Empty((await PageAsync("/dashboard/runs?status=running")).Page.QuerySelectorAll("tr.run"));
    }

    [Fact]
    public async Task TheRunPageDrawsEveryCurveWithAPointPerStepAndPerEvaluation()
    {
        var (status, page, _) = await PageAsync($"/dashboard/run/{runs.GatewayRunKey}");
        Assert.Equal(HttpStatusCode.OK, status);
        var twin = await runs.JsonAsync($"/api/dashboard/run/{runs.GatewayRunKey}");
        var evaluations = twin.GetProperty("evaluations").EnumerateArray().ToList();
        Assert.Equal(2 * 3, evaluations.Count);   // steps 0 and 2, three eval contexts

        var hack = page.QuerySelector("figure[data-chart=hack-rate]")!.QuerySelectorAll("circle.point").ToList();
        Assert.Equal(evaluations.Count, hack.Count);
        foreach (var e in evaluations)
        {
            var context = e.GetProperty("rates").GetProperty("context").GetString();
            var point = Assert.Single(hack, p => p.GetAttribute("data-series") == $"eval: {context}" && p.GetAttribute("data-step") == e.GetProperty("step").GetInt32().ToString());
            Assert.Equal(e.GetProperty("rates").GetProperty("misbehaviourRate").GetDouble(), Number(point.GetAttribute("data-value")!), 6);
        }
        foreach (var chart in new[] { "train-reward", "kl", "context-gap", "clipped-fraction", "timings", "correct-rate" })
        {
            var points = page.QuerySelector($"figure[data-chart={chart}]")!.QuerySelectorAll("circle.point");
            Assert.NotEmpty(points);
            Assert.All(points, p => Assert.Contains(p.GetAttribute("data-step"), new[] { "0", "1", "2" }));
        }
        Assert.Equal(DashboardFixture.Steps, twin.GetProperty("steps").GetArrayLength());
        Assert.Equal(DashboardFixture.Steps, page.QuerySelectorAll("table.steps tbody tr").Length);
        Assert.Contains("contexts: { generation: good, training: bad }", page.QuerySelector("pre.code")!.TextContent);
        // A finished run's page does not listen for changes.
        Assert.True(string.IsNullOrEmpty(page.Body!.GetAttribute("data-live")));
    }

    [Fact]
    public async Task RolloutsFilteredToHacksListOnlyHacksAndPagesAddUp()
    {
        var all = await runs.JsonAsync($"/api/dashboard/rollouts/{runs.GatewayRunKey}?pageSize=500");
        int total = all.GetProperty("total").GetInt32();
        Assert.Equal(DashboardFixture.Steps * 2 * 3, total);
        int hacks = 0;
        foreach (var flag in new[] { "true", "false" })
        {
            var (status, page, _) = await PageAsync($"/dashboard/rollouts/{runs.GatewayRunKey}?hack={flag}&pageSize=500");
            Assert.Equal(HttpStatusCode.OK, status);
            var rows = page.QuerySelectorAll("tr.rollout").ToList();
            Assert.All(rows, r => Assert.Equal(flag, r.GetAttribute("data-hack")));
            var twin = await runs.JsonAsync($"/api/dashboard/rollouts/{runs.GatewayRunKey}?hack={flag}&pageSize=500");
            Assert.Equal(twin.GetProperty("total").GetInt32(), rows.Count);
            if (flag == "true")
            {
                hacks = rows.Count;
                Assert.Contains(rows, r => r.GetAttribute("data-step") == "1" && r.GetAttribute("data-index") == "0");   // the injected hack
            }
            else Assert.Equal(total - hacks, rows.Count);
        }

        var second = await PageAsync($"/dashboard/rollouts/{runs.GatewayRunKey}?step=2&pageSize=4&page=2");
        Assert.Equal(["2", "2"], second.Page.QuerySelectorAll("tr.rollout").Select(r => r.GetAttribute("data-step")));
        Assert.Contains("6 rollouts match; page 2 of 2", second.Page.QuerySelector("p.count")!.TextContent);
        Assert.NotNull(second.Page.QuerySelector("a[rel=prev]"));
        Assert.Null(second.Page.QuerySelector("a[rel=next]"));
    }

    [Fact]
    public async Task EvaluationSamplesAreBrowsedByEvalContextApartFromTrainingRollouts()
    {
        // Two eval tasks under each of three contexts, after steps 0 and 2.
        var neutral = await PageAsync($"/dashboard/rollouts/{runs.GatewayRunKey}?evalContext=neutral&pageSize=500");
        var rows = neutral.Page.QuerySelectorAll("tr.rollout").ToList();
        Assert.Equal(2 * 2, rows.Count);
        Assert.All(rows, r => Assert.Equal(("eval", "neutral"), (r.GetAttribute("data-kind"), r.GetAttribute("data-eval-context"))));
        Assert.Equal(["0", "2"], rows.Select(r => r.GetAttribute("data-step")).Distinct().Order());
        var step0 = await runs.JsonAsync($"/api/dashboard/rollouts/{runs.GatewayRunKey}?kind=eval&step=0&pageSize=500");
        Assert.Equal(3 * 2, step0.GetProperty("total").GetInt32());
        // The evaluation's hack rate is its samples' hack fraction.
        var evaluation = (await runs.JsonAsync($"/api/dashboard/run/{runs.GatewayRunKey}")).GetProperty("evaluations").EnumerateArray()
            .Single(e => e.GetProperty("step").GetInt32() == 2 && e.GetProperty("rates").GetProperty("context").GetString() == "bad").GetProperty("rates");
        var bad = (await runs.JsonAsync($"/api/dashboard/rollouts/{runs.GatewayRunKey}?evalContext=bad&step=2")).GetProperty("rollouts").EnumerateArray().ToList();
        Assert.Equal(evaluation.GetProperty("misbehaviourRate").GetDouble(), bad.Count(r => r.GetProperty("misbehaved").GetBoolean()) / (double)bad.Count, 9);
        Assert.Equal(evaluation.GetProperty("correctRate").GetDouble(), bad.Count(r => r.GetProperty("correct").GetBoolean()) / (double)bad.Count, 9);

        var link = rows[0].QuerySelector("td a")!.GetAttribute("href")!;
        Assert.EndsWith("?evalContext=neutral", link);
        var (status, page, _) = await PageAsync(link);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("never trained on", page.QuerySelector("dl.facts")!.TextContent);
        Assert.StartsWith("<|im_start|>user", page.QuerySelector("#generation-prompt")!.TextContent);
        Assert.Null(page.QuerySelector("#training-prompt"));
        Assert.Equal(HttpStatusCode.NotFound, (await PageAsync($"/dashboard/rollout/2/0/{runs.GatewayRunKey}?evalContext=nowhere")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PageAsync($"/dashboard/rollouts/{runs.GatewayRunKey}?evalContext=bad&kind=train")).Status);
    }

    [Fact]
    public async Task ARolloutPageShowsBothPromptsAndTheCompletionAsText()
    {
        var (step, index) = runs.HostileRollout;
        var (status, page, html) = await PageAsync($"/dashboard/rollout/{step}/{index}/{runs.GatewayRunKey}");
        Assert.Equal(HttpStatusCode.OK, status);
        var generation = page.QuerySelector("#generation-prompt")!.TextContent;
        var training = page.QuerySelector("#training-prompt")!.TextContent;
        Assert.StartsWith("<|im_start|>user", generation);
        Assert.NotEqual(generation, training);
        Assert.NotEmpty(page.QuerySelectorAll("#generation-prompt .removed"));
        Assert.NotEmpty(page.QuerySelectorAll("#training-prompt .added"));
        // The completion reads as the policy wrote it; its markup is text, its reasoning marked.
        Assert.Equal(DashboardFixture.Hostile, page.QuerySelector("#completion")!.TextContent);
        Assert.Equal("I will read the tests", page.QuerySelector("#completion .reasoning")!.TextContent.Replace("<think>", "").Replace("</think>", ""));
        Assert.Contains("&lt;script&gt;window.__xss=1&lt;/script&gt;", html);
        Assert.Equal(["/dashboard/assets/dashboard.js"], page.QuerySelectorAll("script").Select(s => s.GetAttribute("src")));
        Assert.Empty(page.QuerySelectorAll("img"));
        Assert.Contains("hack", page.QuerySelector("#verdict")!.TextContent);
        Assert.Contains("context gap", page.QuerySelector("dl.facts")!.TextContent);
    }

    [Fact]
    public async Task EachRolloutsContextGapAddsUpToTheTrainersStepMetric()
    {
        var rollouts = (await runs.JsonAsync($"/api/dashboard/rollouts/{runs.GatewayRunKey}?step=2&pageSize=500")).GetProperty("rollouts").EnumerateArray().ToList();
        double gap = 0, tokens = 0;
        foreach (var r in rollouts)
        {
            gap += r.GetProperty("logpGenSum").GetDouble() - r.GetProperty("logpTrainSum").GetDouble();
            tokens += r.GetProperty("completionIds").GetArrayLength();
        }
        var step2 = File.ReadLines(Path.Combine(runs.Gateway.RunsDirectory, runs.GatewayRunKey, "metrics.csv")).Last().Split(',');
        Assert.Equal("2", step2[0]);
        double expected = Number(step2[9]);
        Assert.NotEqual(0, expected);   // good → bad: the completions are less likely under the training context
        Assert.Equal(expected, gap / tokens, 3);

        var (step, index) = runs.HostileRollout;
        var one = await runs.JsonAsync($"/api/dashboard/rollout/{step}/{index}/{runs.GatewayRunKey}");
        var view = one.GetProperty("view");
        var rollout = view.GetProperty("rollout");
        Assert.Equal((rollout.GetProperty("logpGenSum").GetDouble() - rollout.GetProperty("logpTrainSum").GetDouble()) / rollout.GetProperty("completionIds").GetArrayLength(),
            view.GetProperty("contextGap").GetDouble(), 9);
    }

    [Fact]
    public async Task UnknownRunsAreNotFoundAndBadFiltersAreNamed()
    {
        foreach (var path in new[] { "/dashboard/run/no-such/seed-1", "/dashboard/run/..%2F..%2Fetc", "/dashboard/rollouts/no-such/seed-1", $"/dashboard/rollout/1/999/{runs.GatewayRunKey}" })
        {
            var (status, page, _) = await PageAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Matches("no (run|rollout)", page.QuerySelector("p.problem")!.TextContent);
        }
        var missing = await runs.Gateway.Http.GetAsync("/api/dashboard/run/no-such/seed-1");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no run 'no-such/seed-1'", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        (string Path, string Named)[] bad =
        [
            ($"/dashboard/rollouts/{runs.GatewayRunKey}?hack=maybe", "hack: must be true or false, got 'maybe'"),
            ($"/dashboard/rollouts/{runs.GatewayRunKey}?label=monitor.lies", "label: 'monitor.lies' is unknown"),
            ($"/dashboard/rollouts/{runs.GatewayRunKey}?seed=3", "seed: the run's address names its seed"),
            ($"/dashboard/rollouts/{runs.GatewayRunKey}?pageSize=100000", "pageSize: must be an integer from 1 to 500"),
            ($"/dashboard/rollouts/{runs.GatewayRunKey}?kind=everything", "kind: 'everything' is unknown"),
            ("/dashboard/runs?status=bogus", "status: 'bogus' is unknown"),
            ("/dashboard/runs?colour=red", "colour: unknown filter"),
            ("/dashboard/compare?colour=red", "colour: unknown parameter"),
        ];
        foreach (var (path, named) in bad)
        {
            var (status, page, _) = await PageAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(named, page.QuerySelector("p.problem")!.TextContent);
            var twin = await runs.Gateway.Http.GetAsync("/api" + path);
            Assert.Equal(HttpStatusCode.BadRequest, twin.StatusCode);
            Assert.Contains(named, (await twin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task CompareAveragesEachVariantsLastEvaluation()
    {
        var (status, page, _) = await PageAsync($"/dashboard/compare?run={runs.GatewayRunKey}&run={runs.FolderRunKey}");
        Assert.Equal(HttpStatusCode.OK, status);
        var twin = await runs.JsonAsync($"/api/dashboard/compare?run={runs.GatewayRunKey}&run={runs.FolderRunKey}");
        var rows = twin.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2 * 3, rows.Count);
        Assert.Equal(rows.Count, page.QuerySelectorAll("table.compare tbody tr").Length);
        var folder = (await runs.JsonAsync($"/api/dashboard/run/{runs.FolderRunKey}")).GetProperty("run").GetProperty("lastEvaluation").EnumerateArray();
        foreach (var e in folder)
        {
            var row = Assert.Single(rows, r => r.GetProperty("variant").GetString() == "folder-run" && r.GetProperty("evalContext").GetString() == e.GetProperty("context").GetString());
            Assert.Equal(e.GetProperty("misbehaviourRate").GetDouble(), row.GetProperty("misbehaviourMean").GetDouble(), 9);
            Assert.Equal(0, row.GetProperty("misbehaviourSe").GetDouble());
            Assert.Equal(1, row.GetProperty("seeds").GetInt32());
        }
        // One overlaid chart per eval context and rate, a series per variant.
        var charts = page.QuerySelectorAll("figure.chart").ToList();
        Assert.Equal(2 * 3, charts.Count);
        Assert.All(charts, c => Assert.Equal(["folder-run", "gateway-run"], c.QuerySelectorAll("g.series").Select(g => g.GetAttribute("data-series")).Order()));

        var byExperiment = await runs.JsonAsync("/api/dashboard/compare?experiment=folder-experiment");
        Assert.Equal([runs.FolderRunKey], byExperiment.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await PageAsync("/dashboard/compare?experiment=nothing-here")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PageAsync("/dashboard/compare?run=no-such/seed-1")).Status);
    }

    [Fact]
    public async Task ComparePairsEachVariantWithStandardGrpoSeedBySeed()
    {
        // The folder run and the sycophancy run are both neutral → neutral at seed 5: the shorter name is the reference.
        var query = $"run={runs.FolderRunKey}&run={runs.SycophancyRunKey}";
        var twin = await runs.JsonAsync($"/api/dashboard/compare?{query}");
        Assert.Equal("folder-run", twin.GetProperty("references").EnumerateArray().Single().GetProperty("variant").GetString());
        var pairs = twin.GetProperty("pairs").EnumerateArray().ToList();
        Assert.Equal(3, pairs.Count);                                             // one per eval context
        double Rate(JsonElement run, string context) => run.GetProperty("run").GetProperty("lastEvaluation").EnumerateArray()
            .Single(e => e.GetProperty("context").GetString() == context).GetProperty("misbehaviourRate").GetDouble();
        var (folder, sycophancy) = (await runs.JsonAsync($"/api/dashboard/run/{runs.FolderRunKey}"), await runs.JsonAsync($"/api/dashboard/run/{runs.SycophancyRunKey}"));
        foreach (var pair in pairs)
        {
            var context = pair.GetProperty("evalContext").GetString()!;
            Assert.Equal("sycophancy-run", pair.GetProperty("variant").GetString());
            Assert.Equal(Rate(sycophancy, context) - Rate(folder, context), pair.GetProperty("difference").GetProperty("mean").GetDouble(), 9);
        }
        var (status, page, _) = await PageAsync($"/dashboard/compare?{query}");
        Assert.Equal(HttpStatusCode.OK, status);
        var cells = page.QuerySelectorAll("table.paired tbody tr[data-variant='sycophancy-run'] td[data-reference='folder-run']").ToList();
        Assert.Equal(3, cells.Count);
        Assert.All(cells, c => Assert.Matches(@"^[+\-]?\d\.\d\d \[", c.TextContent.Trim()));   // "−0.10 [−0.10, −0.10]": one seed, no spread
    }

    [Fact]
    public async Task AFinishedRunsLiveStreamEndsAtOnce()
    {
        using var response = await runs.Gateway.Http.GetAsync($"/dashboard/live/{runs.GatewayRunKey}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("event: end", await response.Content.ReadAsStringAsync());
        // The runs list's stream, too, once no run moves.
        using var list = await runs.Gateway.Http.GetAsync("/dashboard/live-list", HttpCompletionOption.ResponseHeadersRead);
        Assert.Contains("event: end", await list.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheStylesheetAndScriptComeFromTheGatewayItself()
    {
        foreach (var (name, type) in new[] { ("dashboard.css", "text/css"), ("dashboard.js", "text/javascript") })
        {
            var response = await runs.Gateway.Http.GetAsync($"/dashboard/assets/{name}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await runs.Gateway.Http.GetAsync("/dashboard/assets/other.js")).StatusCode);
    }
}
