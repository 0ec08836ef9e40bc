using OpenQA.Selenium;

namespace Recontext.Gateway.Tests.Dashboard;

/// <summary>The dashboard in a real browser (headless Chromium): each page shows what it should, a hostile completion
/// runs nothing, the pages fit a phone's width, and a run's page follows the run as it trains.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests(DashboardFixture runs)
{
    string Url(string path) => new Uri(runs.Gateway.Http.BaseAddress!, path).ToString();

    [Fact]
    public void EveryPageShowsItsRunsRolloutsAndCurvesAndAHostileCompletionRunsNothing()
    {
        using var browser = new HeadlessChromium();
        var driver = browser.Driver;

        driver.Navigate().GoToUrl(Url("/dashboard/runs"));
        var keys = driver.FindElements(By.CssSelector("tr.run")).Select(r => r.GetAttribute("data-key")).ToList();
        Assert.Contains(runs.GatewayRunKey, keys);
        Assert.Contains(runs.FolderRunKey, keys);
        browser.Screenshot("runs");

        // From the list to the run: the link works, and the hack-rate chart has a point per evaluation.
        driver.FindElement(By.CssSelector($"tr.run[data-key='{runs.GatewayRunKey}'] a")).Click();
        Assert.EndsWith($"/dashboard/run/{runs.GatewayRunKey}", driver.Url);
        var points = driver.FindElements(By.CssSelector("figure[data-chart=hack-rate] circle.point"));
        Assert.Equal(2 * 3, points.Count);
        Assert.Equal(["0", "2"], points.Select(p => p.GetAttribute("data-step")).Distinct().Order());
        Assert.True(driver.FindElement(By.CssSelector("figure[data-chart=hack-rate] svg")).Size.Width > 200);
        browser.Screenshot("run");

        driver.Navigate().GoToUrl(Url($"/dashboard/rollouts/{runs.GatewayRunKey}?hack=true"));
        var hacks = driver.FindElements(By.CssSelector("tr.rollout"));
        Assert.NotEmpty(hacks);
        Assert.All(hacks, r => Assert.Equal("true", r.GetAttribute("data-hack")));
        browser.Screenshot("rollouts-hacks");

        var (step, index) = runs.HostileRollout;
        driver.FindElement(By.CssSelector($"tr.rollout[data-step='{step}'][data-index='{index}'] td a")).Click();
        Assert.EndsWith($"/dashboard/rollout/{step}/{index}/{runs.GatewayRunKey}", driver.Url);
        Assert.StartsWith("<|im_start|>user", driver.FindElement(By.Id("generation-prompt")).Text);
        Assert.StartsWith("<|im_start|>user", driver.FindElement(By.Id("training-prompt")).Text);
        Assert.NotEqual(driver.FindElement(By.Id("generation-prompt")).Text, driver.FindElement(By.Id("training-prompt")).Text);
        // The completion's markup shows as text; its script and its image's handler never ran.
        Assert.Contains("<script>alert(1)</script><script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">", driver.FindElement(By.Id("completion")).Text);
        Assert.Null(browser.Script("return window.__xss === undefined ? null : window.__xss;"));
        Assert.Throws<NoAlertPresentException>(() => driver.SwitchTo().Alert());
        browser.Screenshot("rollout");

        driver.Navigate().GoToUrl(Url($"/dashboard/compare?run={runs.GatewayRunKey}&run={runs.FolderRunKey}"));
        Assert.Equal(2 * 3, driver.FindElements(By.CssSelector("table.compare tbody tr")).Count);
        browser.Screenshot("compare");
    }

    [Fact]
    public void ThePagesFitAPhonesWidth()
    {
        using var browser = new HeadlessChromium(width: 390, height: 844);
        var (step, index) = runs.HostileRollout;
        foreach (var (name, path) in new[]
                 {
                     ("runs", "/dashboard/runs"), ("run", $"/dashboard/run/{runs.GatewayRunKey}"), ("rollouts", $"/dashboard/rollouts/{runs.GatewayRunKey}"),
                     ("rollout", $"/dashboard/rollout/{step}/{index}/{runs.GatewayRunKey}"), ("compare", $"/dashboard/compare?experiment=folder-experiment"),
                 })
        {
            browser.Driver.Navigate().GoToUrl(Url(path));
            // Wide tables scroll inside their own box; the page itself never scrolls sideways.
            var overflow = Convert.ToInt64(browser.Script("return document.documentElement.scrollWidth - window.innerWidth;"));
            Assert.True(overflow <= 0, $"{path} is {overflow} px wider than a phone's screen");
            browser.Screenshot($"phone-{name}");
        }
    }

    [Fact]
    public async Task ARunsPageFollowsTheRunWhileItTrainsWithoutReloading()
    {
        // The browser first: it takes a moment to start, and the run only a few seconds to train.
        using var browser = new HeadlessChromium();
        var id = await runs.Gateway.SubmitOkAsync(GatewayFixture.Experiment(runs.Root, steps: 8, name: "live-run"));
        var key = $"{id}/seed-3";
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(Url($"/dashboard/run/{key}"));
        var first = driver.FindElement(By.CssSelector("dd [data-status]")).GetAttribute("data-status");
        Assert.Contains(first, new[] { "queued", "running" });
        // A mark in the page's own state: a reload would lose it.
        browser.Script("window.__mark = 42;");

        // Steps 0, 2, 4, 6 and 8 evaluated under three contexts: the chart grows to 15 points as the run trains.
        browser.WaitFor(() => driver.FindElements(By.CssSelector("figure[data-chart=hack-rate] circle.point")).Count == 5 * 3
                              && driver.FindElement(By.CssSelector("dd [data-status]")).GetAttribute("data-status") == "completed",
            "the open page to show the finished run's 15 evaluation points");
        Assert.Equal(42L, browser.Script("return window.__mark;"));
        Assert.True(Convert.ToInt32(browser.Script("return Number(document.body.dataset.refreshed || 0);")) >= 1);
        Assert.Equal(8, driver.FindElements(By.CssSelector("table.steps tbody tr")).Count);
        browser.Screenshot("run-live-finished");
        await runs.Gateway.EventsAsync(id);
    }
}
